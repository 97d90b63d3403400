//! `cancuoc card render` through the real binary: every format writes a
//! file of its kind (SVG, PNG, PDF; one side and both), with a PNG
//! portrait read relative to CARD.json; a wrong CARD.json field is named
//! and exits 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cancuoc"))
        .args(args)
        .env("CANCUOC_LANG", "en")
        .output()
        .expect("run cancuoc")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cancuoc-cli-card-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

/// A synthetic card; `portrait` names a file beside it or is null.
fn card_json(portrait: &str, sex: &str) -> String {
    format!(
        r#"{{"personal_id": "079190012345", "full_name": "Tôn Nữ Thị Ninh",
 "surname": null, "date_of_birth": "1990-03-15", "sex": "{sex}", "nationality": "Việt Nam",
 "place_of_origin": "Phường Thuận Hòa, Thành phố Huế",
 "residence": "Số 12 đường Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh",
 "issue_date": "2022-05-20", "expiry_date": null,
 "identifying_features": "Nốt ruồi C:1cm trên trước mép phải", "old_id": "025123456",
 "portrait": {portrait}}}"#
    )
}

/// The smallest valid PNG: 1 × 1, grey (bytes from the PNG specification's
/// chunk layout: signature, IHDR, IDAT, IEND; generated once with Python's
/// zlib and struct, CRCs included).
const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B,
    0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x68, 0x00, 0x00, 0x00,
    0x82, 0x00, 0x81, 0x77, 0xCD, 0x72, 0xB6, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

#[test]
fn every_format_writes_a_file_of_its_kind() {
    let dir = tmp("formats");
    std::fs::write(dir.join("face.png"), TINY_PNG).expect("portrait");
    let data = dir.join("card.json");
    std::fs::write(&data, card_json("\"face.png\"", "female")).expect("card");
    for (layout, side, format, magic) in [
        ("2021", "front", "svg", &b"<svg"[..]),
        ("2024", "both", "svg", &b"<svg"[..]),
        ("2021", "back", "png", &b"\x89PNG\r\n\x1a\n"[..]),
        ("2024", "both", "png", &b"\x89PNG\r\n\x1a\n"[..]),
        ("2021", "both", "pdf", &b"%PDF-"[..]),
        ("2024", "front", "pdf", &b"%PDF-"[..]),
    ] {
        let out = dir.join(format!("{layout}-{side}.{format}"));
        let o = run(&[
            "card",
            "render",
            "--data",
            p(&data),
            "--layout",
            layout,
            "--side",
            side,
            "--format",
            format,
            "--out",
            p(&out),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{layout} {side} {format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let bytes = std::fs::read(&out).expect("written");
        assert!(
            bytes.len() > 1000 && bytes.starts_with(magic),
            "{layout} {side} {format}"
        );
        if format == "svg" {
            let text = String::from_utf8(bytes.clone()).expect("utf-8");
            assert!(text.contains("MẪU / SPECIMEN"));
            assert!(
                text.contains("data:image/png;base64,") == (side != "back"),
                "portrait on the front"
            );
            assert_eq!(
                text.matches(r#"class="specimen-mark""#).count(),
                if side == "both" { 2 } else { 1 }
            );
        }
        if format == "pdf" {
            let pages = String::from_utf8_lossy(&bytes)
                .matches("/Type/Page/")
                .count();
            assert_eq!(pages, if side == "both" { 2 } else { 1 }, "{layout} {side}");
        }
    }
    // The format from the extension, the layout from the issue date.
    let out = dir.join("default.png");
    let o = run(&["card", "render", "--data", p(&data), "--out", p(&out)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("2021"));
    assert!(std::fs::read(&out).expect("png").starts_with(b"\x89PNG"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wrong_field_is_named_and_exits_2() {
    let dir = tmp("errors");
    let data = dir.join("card.json");
    std::fs::write(&data, card_json("null", "robot")).expect("card");
    let out = dir.join("x.svg");
    let o = run(&[
        "card",
        "render",
        "--data",
        p(&data),
        "--layout",
        "2021",
        "--out",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("sex") && err.contains("card.json"), "{err}");
    assert!(!out.exists());
    // A missing portrait file is named too.
    std::fs::write(&data, card_json("\"nowhere.jpg\"", "male")).expect("card");
    let o = run(&["card", "render", "--data", p(&data), "--out", p(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nowhere.jpg"));
    // A bad layout and an unknown extension are usage errors.
    std::fs::write(&data, card_json("null", "female")).expect("card");
    let o = run(&[
        "card",
        "render",
        "--data",
        p(&data),
        "--layout",
        "1999",
        "--out",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1999"));
    let o = run(&[
        "card",
        "render",
        "--data",
        p(&data),
        "--out",
        p(&dir.join("x.gif")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format"));
    let _ = std::fs::remove_dir_all(&dir);
}
