//! The normalized Tripline event (under construction).

pub mod value;
pub use value::{FieldSource, Value};
