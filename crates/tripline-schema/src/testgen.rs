//! Generators the unit tests share.

use proptest::prelude::*;

/// Random JSON trees (four levels, objects and arrays of up to four members) whose object
/// keys and strings come from the given strategies.
pub(crate) fn json_tree(
    key: BoxedStrategy<String>,
    string: impl Strategy<Value = String> + 'static,
) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        (-1e6f64..1e6).prop_map(serde_json::Value::from),
        string.prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec((key.clone(), inner), 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
