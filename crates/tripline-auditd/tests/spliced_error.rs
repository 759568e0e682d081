//! A line holding a record and, spliced after it, a record header that does not parse: the
//! error is an extra item of an already counted line, so the reader still balances (found by
//! the `auditd_assemble` fuzz target).

use tripline_auditd::{Reader, StrRecords};

const LINE: &str = "type=CWD msg=audit(1.000:7): cwd=\"/\"type=PATH msg=audit(99999999999999999999999.8:888): name=\"a\"\ntype=EOE msg=audit(1.000:7):\n";

#[test]
fn a_failed_spliced_record_keeps_the_reader_balanced() {
    let mut r = StrRecords::new(LINE);
    let items: Vec<_> = r.by_ref().collect();
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_err() && items[2].is_ok());
    assert_eq!(items[1].as_ref().unwrap_err().location().line, 1);
    let s = r.stats();
    assert_eq!(
        (s.lines, s.records, s.errors, s.spliced, s.spliced_errors),
        (2, 2, 1, 1, 1)
    );
    assert!(s.balanced());

    let mut r = Reader::new(LINE.as_bytes());
    assert_eq!(r.by_ref().count(), 3);
    assert_eq!(r.stats(), s);
}
