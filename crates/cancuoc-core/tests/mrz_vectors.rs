//! Every row of the public MRZ vectors (`tests/data/mrz-public.tsv`, copied
//! from `shared/vectors/`) through the parser: our verdict against the
//! `expected_valid` column, our failed check digits against the
//! `icao_failed=` notes, our format against the `kind` column.
//!
//! Rows where we differ are listed in [`DIFFERS`] with the reason; the test
//! fails when any other row differs, or when a listed row stops differing.

use cancuoc_core::mrz::{Format, parse};

const TSV: &str = include_str!("data/mrz-public.tsv");

/// Rows whose `expected_valid` we do not reproduce, and why.
const DIFFERS: &[(&str, &str)] = &[];

struct Row<'a> {
    id: &'a str,
    kind: &'a str,
    mrz: String,
    expected: Option<bool>,
    notes: &'a str,
}

fn rows() -> Vec<Row<'static>> {
    TSV.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert!(cols.len() >= 5, "malformed row {line}");
            Row {
                id: cols[0],
                kind: cols[1],
                mrz: cols[2].replace("\\n", "\n"),
                expected: match cols[3] {
                    "true" => Some(true),
                    "false" => Some(false),
                    "" => None,
                    other => panic!("bad expected_valid {other:?}"),
                },
                notes: cols.get(5).copied().unwrap_or(""),
            }
        })
        .collect()
}

fn format_name(f: Format) -> &'static str {
    f.as_str()
}

/// Our failed checks, in the notes' vocabulary (`doc`, `dob`, `exp`,
/// `personal`, `composite`), or `wrong-shape` for a shape error.
fn our_failures(mrz: &str) -> Vec<&'static str> {
    match parse(mrz) {
        Err(_) => vec!["wrong-shape"],
        Ok(m) => m
            .checks()
            .iter()
            .filter(|c| !c.ok)
            .map(|c| match c.field.as_str() {
                "document_number" => "doc",
                "birth_date" => "dob",
                "expiry_date" => "exp",
                "personal_number" => "personal",
                "composite" => "composite",
                other => panic!("unexpected check {other}"),
            })
            .collect(),
    }
}

#[test]
fn verdicts_match_expected_valid_except_listed_rows() {
    let rows = rows();
    assert!(rows.len() >= 100, "all rows read: {}", rows.len());
    let mut unexpected = Vec::new();
    for row in &rows {
        let ours = parse(&row.mrz).map(|m| m.is_valid()).unwrap_or(false);
        let listed = DIFFERS.iter().any(|(id, _)| *id == row.id);
        let differs = row.expected.is_some_and(|e| e != ours);
        if differs != listed {
            unexpected.push(format!(
                "{}: expected {:?}, ours {ours}, listed {listed}",
                row.id, row.expected
            ));
        }
    }
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

#[test]
fn failed_check_digits_match_the_icao_notes() {
    let mut checked = 0;
    for row in rows() {
        let Some(list) = row
            .notes
            .split(|c: char| c == ';' || c.is_whitespace())
            .find_map(|w| w.strip_prefix("icao_failed="))
        else {
            // No note: a valid row has no failed check.
            if row.expected == Some(true) {
                assert_eq!(our_failures(&row.mrz), Vec::<&str>::new(), "{}", row.id);
            }
            continue;
        };
        let want: Vec<&str> = list.split(',').collect();
        assert_eq!(our_failures(&row.mrz), want, "{}", row.id);
        checked += 1;
    }
    assert!(checked >= 30, "rows with icao_failed notes: {checked}");
}

#[test]
fn field_errors_match_the_notes() {
    // Phrases in the notes → the field we must report.
    let phrases = [
        ("nationality '", "nationality"),
        ("issuing state '", "issuing_state"),
        ("birth date '", "birth_date"),
        ("expiry date '", "expiry_date"),
        ("name field has", "names"),
        ("sex '", "sex"),
        ("document code '", "document_code"),
        ("calendar-invalid date", "birth_date"),
        ("day 46", "expiry_date"),
    ];
    let mut checked = 0;
    for row in rows() {
        let Ok(m) = parse(&row.mrz) else { continue };
        let ours: Vec<&str> = m.field_errors().iter().map(|e| e.field.as_str()).collect();
        if row.expected == Some(true) {
            assert!(ours.is_empty(), "{}: {ours:?}", row.id);
        }
        for (phrase, field) in phrases {
            if row.notes.contains(phrase) {
                assert!(ours.contains(&field), "{}: {field} not in {ours:?}", row.id);
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "noted field errors: {checked}");
}

#[test]
fn formats_match_the_kind_column() {
    for row in rows() {
        match (parse(&row.mrz), row.kind) {
            (Ok(m), kind) => assert_eq!(format_name(m.format()), kind, "{}", row.id),
            (Err(e), "FRA_ID_1994") => {
                assert_eq!(
                    cancuoc_core::i18n::Localized::code(&e),
                    "mrz.unsupported_format"
                )
            }
            (Err(e), _) if row.notes.contains("wrong-shape") => {
                assert_eq!(cancuoc_core::i18n::Localized::code(&e), "mrz.line_length")
            }
            (Err(e), _) => panic!("{}: {e}", row.id),
        }
    }
}

#[test]
fn specimen_fields() {
    let td3 = rows().into_iter().find(|r| r.id == "V001").map(|r| r.mrz);
    let td3 = td3.as_deref().map(parse);
    let Some(Ok(m)) = td3 else {
        panic!("V001 parses")
    };
    assert_eq!(m.document_code(), "P<");
    assert_eq!(m.issuing_state(), "UTO");
    assert_eq!(m.document_number().to_string(), "L898902C3");
    assert_eq!(m.birth_date().raw(), "740812");
    assert_eq!(m.expiry_date().raw(), "120415");
    assert_eq!(m.sex_char(), 'F');
    assert_eq!(m.nationality(), "UTO");
    assert_eq!(m.optional_data(), "ZE184226B");
    assert_eq!(m.surname_string(), "ERIKSSON");
    assert_eq!(m.given_names_string(), "ANNA MARIA");
    let fields: Vec<&str> = m.checks().iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "document_number",
            "birth_date",
            "expiry_date",
            "personal_number",
            "composite"
        ]
    );

    // Long document numbers (Part 5 overflow): V027, V097.
    for (id, number, rest) in [("V027", "D23145890123", ""), ("V097", "1234567890", "")] {
        let mrz = rows().into_iter().find(|r| r.id == id).map(|r| r.mrz);
        let Some(Ok(m)) = mrz.as_deref().map(parse) else {
            panic!("{id} parses")
        };
        assert!(m.document_number().is_long(), "{id}");
        assert_eq!(m.document_number().to_string(), number, "{id}");
        assert_eq!(m.optional_data(), rest, "{id}");
        assert!(m.is_valid(), "{id}");
    }
}
