//! Differential tests against an independent Claim 169 implementation:
//! the published test vectors of github.com/idpass/claim-169 (commit
//! 5bd8f24d1e131e379bccbae524bd01b75d09e7e2, MIT; copied into
//! `tests/vectors/`, see its README), and that project's Rust decoder
//! `claim169-core` 0.3.0 reading our own seals. `claim169-core` pulls
//! `ed25519-dalek` 2 / `sha2` 0.10 (an older RustCrypto generation than
//! ours); as a dev-dependency both generations coexist in the lock.

use cancuoc_core::card::Card;
use cancuoc_core::i18n::Localized;
use cancuoc_seal::{
    Confirmation, Document, SigningKey, VerifyingKey, decode_unverified, sign_card,
    sign_confirmation, verify,
};
use jiff::civil::date;
use serde_json::Value;

fn vector(path: &str) -> Value {
    let full = format!("{}/tests/vectors/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).expect("vector file");
    serde_json::from_str(&text).expect("vector JSON")
}

fn hex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    assert_eq!(s.len(), 64);
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

/// A day before every vector's exp (1 800 000 000 = 2027-01-15).
fn before_exp() -> jiff::civil::Date {
    date(2026, 1, 1)
}

fn check_meta(
    v: &Value,
    issuer: Option<&str>,
    iat: Option<jiff::Timestamp>,
    exp: Option<jiff::Timestamp>,
) {
    let meta = &v["expected_cwt_meta"];
    assert_eq!(issuer, meta["issuer"].as_str());
    assert_eq!(iat.map(|t| t.as_second()), meta["issuedAt"].as_i64());
    assert_eq!(exp.map(|t| t.as_second()), meta["expiresAt"].as_i64());
}

#[test]
fn their_ed25519_vector_verifies_with_their_key() {
    let v = vector("valid/ed25519-signed.json");
    let pk = hex32(v["signing_key"]["public_key_hex"].as_str().expect("pk"));
    let sk = hex32(v["signing_key"]["private_key_hex"].as_str().expect("sk"));
    let key = VerifyingKey::from_bytes(&pk).expect("key");
    // Their private key is the RFC 8032 TEST 1 key: it matches the public one.
    assert_eq!(SigningKey::from_seed(&sk).verifying_key(), &key);
    let text = v["qr_data"].as_str().expect("qr");
    let got = verify(text, &[key], before_exp()).expect("verifies");
    assert!(got.signature_ok && !got.expired);
    assert_eq!(got.document, Document::Other);
    let expected = &v["expected_claim169"];
    assert_eq!(got.claims.text(1), expected["id"].as_str());
    assert_eq!(got.claims.text(4), expected["fullName"].as_str());
    check_meta(&v, got.issuer.as_deref(), got.issued_at, got.expires);
    // A different key refuses it (no kid in their header → tries the key).
    let other = SigningKey::from_seed(&[1; 32]);
    let e = verify(text, &[other.verifying_key().clone()], before_exp()).expect_err("wrong key");
    assert!(
        matches!(e.code(), "seal.signature" | "seal.unknown_kid"),
        "{e:?}"
    );
}

#[test]
fn their_unsigned_vectors_decode_to_their_claims() {
    for path in [
        "valid/minimal.json",
        "valid/demographics-full.json",
        "edge/unknown-fields.json",
        "edge/not-yet-valid.json",
    ] {
        let v = vector(path);
        let got = decode_unverified(v["qr_data"].as_str().expect("qr"), before_exp())
            .unwrap_or_else(|e| panic!("{path}: {e:?}"));
        let expected = &v["expected_claim169"];
        assert_eq!(got.claims.text(1), expected["id"].as_str(), "{path}");
        assert_eq!(got.claims.text(4), expected["fullName"].as_str(), "{path}");
        check_meta(&v, got.issuer.as_deref(), got.issued_at, got.expires);
        if path.contains("demographics") {
            let map = got.claims.to_map();
            for (ours, theirs) in [
                ("date_of_birth", "dateOfBirth"),
                ("address", "address"),
                ("nationality", "nationality"),
                ("country_of_issuance", "countryOfIssuance"),
                ("first_name", "firstName"),
                ("middle_name", "middleName"),
                ("last_name", "lastName"),
                ("language", "language"),
                ("version", "version"),
                ("email", "email"),
                ("phone", "phone"),
                ("legal_status", "legalStatus"),
                ("location_code", "locationCode"),
            ] {
                assert_eq!(
                    serde_json::to_value(map.get(ours)).expect("json"),
                    expected[theirs],
                    "{ours}"
                );
            }
            assert_eq!(got.claims.gender, expected["gender"].as_i64());
            // Photo format (17) and best fingers (18): known, not shown.
            assert!(got.claims.not_shown.contains(&18));
        }
        if path.contains("unknown-fields") {
            assert!(!got.unknown_keys.is_empty(), "unknown keys listed");
        }
        if path.contains("not-yet-valid") {
            assert!(got.not_yet_valid);
        }
    }
}

#[test]
fn their_expired_vector_reports_expired() {
    let v = vector("edge/expired.json");
    let got = decode_unverified(v["qr_data"].as_str().expect("qr"), before_exp()).expect("decodes");
    assert!(got.expired);
    assert_eq!(got.claims.text(1), v["expected_claim169"]["id"].as_str());
    check_meta(&v, got.issuer.as_deref(), got.issued_at, got.expires);
}

#[test]
fn their_invalid_vectors_fail_with_the_matching_class() {
    for (path, code) in [
        ("invalid/bad-base45.json", "seal.base45"),
        ("invalid/bad-zlib.json", "seal.zlib"),
        ("invalid/not-cose.json", "seal.cose"),
        ("invalid/missing-169.json", "seal.claim169_missing"),
    ] {
        let v = vector(path);
        let text = v["qr_data"].as_str().expect("qr");
        let e = decode_unverified(text, before_exp()).expect_err(path);
        assert_eq!(e.code(), code, "{path} ({}): {e:?}", v["expected_error"]);
    }
    // Their ES256 vector: a valid seal of an algorithm this profile refuses.
    let v = vector("valid/ecdsa-p256-signed.json");
    let e = decode_unverified(v["qr_data"].as_str().expect("qr"), before_exp()).expect_err("ES256");
    assert_eq!(e.code(), "seal.alg");
}

/// Their decoder reads our seals: signature verified with our public key,
/// the same claims.
#[test]
fn claim169_core_reads_our_seals() {
    let key = SigningKey::from_seed(&[3; 32]);
    let now = jiff::Timestamp::from_second(1_767_225_600).expect("time");
    let card = Card::sample();
    let text = sign_card(&card, &key, "https://cancuoc.example/issuer", now).expect("sign");
    let theirs = claim169_core::Decoder::new(text.as_str())
        .verify_with_ed25519(&key.verifying_key().to_bytes())
        .expect("their key setup")
        .without_timestamp_validation()
        .decode()
        .expect("claim169-core decodes and verifies our seal");
    assert!(matches!(
        theirs.verification_status,
        claim169_core::VerificationStatus::Verified
    ));
    let c = &theirs.claim169;
    assert_eq!(c.id.as_deref(), Some(card.personal_id.as_str()));
    assert_eq!(c.full_name.as_deref(), Some(card.full_name.as_str()));
    assert_eq!(c.date_of_birth.as_deref(), Some("19900315"));
    assert_eq!(c.address.as_deref(), Some(card.residence.as_str()));
    assert_eq!(c.nationality.as_deref(), Some("VNM"));
    assert_eq!(c.country_of_issuance.as_deref(), Some("VNM"));
    assert_eq!(c.language.as_deref(), Some("vie"));
    assert_eq!(c.gender.map(i64::from), Some(2));
    // Our private keys are their unknown fields, with our values.
    let mut unknown: Vec<i64> = c.unknown_fields.keys().copied().collect();
    unknown.sort_unstable();
    let ours = verify(&text, &[key.verifying_key().clone()], date(2026, 6, 1)).expect("ours");
    let mut private: Vec<i64> = ours
        .claims
        .fields(cancuoc_core::i18n::Lang::En)
        .iter()
        .map(|f| f.key)
        .filter(|k| *k >= 75)
        .collect();
    private.sort_unstable();
    assert_eq!(unknown, private);
    assert_eq!(
        c.unknown_fields.get(&75).and_then(|v| v.as_str()),
        Some(card.place_of_origin.as_str())
    );
    assert_eq!(
        theirs.cwt_meta.issuer.as_deref(),
        Some("https://cancuoc.example/issuer")
    );
    assert_eq!(theirs.cwt_meta.issued_at, Some(now.as_second()));
    assert_eq!(
        theirs.cwt_meta.expires_at,
        ours.expires.map(|t| t.as_second())
    );

    // A confirmation too.
    let conf = Confirmation {
        code: (0u32..10)
            .map(|d| format!("000126050100001{d}"))
            .find(|s| cancuoc_core::dossier::DossierCode::parse(s).is_ok())
            .expect("check digit"),
        personal_id: "001090012345".into(),
        full_name: "Lê Thị Mẫu".into(),
        date_of_birth: date(1970, 12, 31),
        old_id: "123456789012".into(),
        decided_on: date(2026, 5, 4),
        office: "Công an Xã Thử".into(),
    };
    let text = sign_confirmation(&conf, &key, "https://cancuoc.example/issuer", now).expect("sign");
    let theirs = claim169_core::Decoder::new(text.as_str())
        .verify_with_ed25519(&key.verifying_key().to_bytes())
        .expect("key")
        .without_timestamp_validation()
        .decode()
        .expect("their decoder reads our confirmation");
    assert_eq!(theirs.claim169.full_name.as_deref(), Some("Lê Thị Mẫu"));
    assert_eq!(
        theirs
            .claim169
            .unknown_fields
            .get(&76)
            .and_then(|v| v.as_str()),
        Some("123456789012")
    );
}
