//! Signed QR round trips and every way a seal can fail: tampered claims,
//! wrong key, truncated text, bad base45, not zlib, not COSE, expiry, and
//! the optional tags and kid placements a reader must accept. Synthetic
//! card data only.

use cancuoc_core::card::Card;
use cancuoc_core::i18n::Localized;
use cancuoc_seal::{
    Confirmation, Document, SealError, SigningKey, Truncation, VerifyingKey, decode_unverified,
    sign_card, sign_confirmation, verify,
};
use ciborium::Value;
use coset::{CborSerializable, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use jiff::Timestamp;
use jiff::civil::{Date, date};

const ISSUER: &str = "https://cancuoc.example/issuer";
const SEED: [u8; 32] = [7; 32];

fn key() -> SigningKey {
    SigningKey::from_seed(&SEED)
}

fn now() -> Timestamp {
    Timestamp::from_second(1_767_225_600).expect("2026-01-01")
}

fn today() -> Date {
    date(2026, 6, 1)
}

fn signed_card() -> (Card, String) {
    let card = Card::sample();
    let text = sign_card(&card, &key(), ISSUER, now()).expect("sign");
    (card, text)
}

fn confirmation() -> Confirmation {
    Confirmation {
        // A valid dossier code (Damm check digit) from the core's own tests' form.
        code: valid_dossier_code(),
        personal_id: "001090012345".into(),
        full_name: "Nguyễn Văn Thử".into(),
        date_of_birth: date(1985, 2, 28),
        old_id: "012345678".into(),
        decided_on: date(2026, 5, 4),
        office: "Công an Phường Mẫu, Hà Nội".into(),
    }
}

fn valid_dossier_code() -> String {
    // The core builds a code with its check digit; only its digits are kept.
    (0u32..10)
        .map(|c| format!("079026050112345{c}"))
        .find(|s| cancuoc_core::dossier::DossierCode::parse(s).is_ok())
        .expect("one check digit fits")
}

/// base45 → zlib → CBOR value, as a test peer (no checks).
fn unpack(text: &str) -> Value {
    let bytes = base45::decode(text).expect("base45");
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&bytes[..]), &mut raw)
        .expect("zlib");
    ciborium::from_reader(&raw[..]).expect("cbor")
}

fn pack_value(v: &Value) -> String {
    let mut raw = Vec::new();
    ciborium::into_writer(v, &mut raw).expect("cbor");
    pack_bytes(&raw)
}

fn pack_bytes(raw: &[u8]) -> String {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, raw).expect("zlib");
    base45::encode(z.finish().expect("zlib"))
}

/// The claims map (CWT payload) of a signed text.
fn payload_of(text: &str) -> Vec<u8> {
    let Value::Tag(18, inner) = unpack(text) else {
        panic!("our seal is tagged 18")
    };
    let Value::Array(a) = *inner else {
        panic!("COSE_Sign1 array")
    };
    a[2].as_bytes().expect("payload bytes").clone()
}

fn pubkey() -> VerifyingKey {
    key().verifying_key().clone()
}

#[test]
fn card_round_trip() {
    let (card, text) = signed_card();
    let v = verify(&text, &[pubkey()], today()).expect("valid");
    assert!(v.signature_ok);
    assert!(!v.expired);
    assert_eq!(v.key, key().kid());
    assert_eq!(v.kid.as_deref(), Some(key().kid().to_string().as_str()));
    assert_eq!(v.issuer.as_deref(), Some(ISSUER));
    assert_eq!(v.issued_at, Some(now()));
    // exp = end of the expiry day, Vietnam time (UTC+7).
    let exp = card.expiry_date.expect("sample expires");
    assert_eq!(
        v.expires.map(|t| t.to_string()),
        Some(format!("{exp}T16:59:59Z"))
    );
    assert!(v.unknown_keys.is_empty());
    let Document::Card(c) = &v.document else {
        panic!("a card: {:?}", v.document)
    };
    assert_eq!(c.personal_id, card.personal_id.as_str());
    assert_eq!(c.full_name, card.full_name);
    assert_eq!(c.date_of_birth, card.date_of_birth);
    assert_eq!(c.sex, card.sex);
    assert_eq!(c.residence, card.residence);
    assert_eq!(c.issue_date, card.issue_date);
    assert_eq!(c.expiry_date, card.expiry_date);
    assert_eq!(
        c.old_id.as_deref(),
        card.old_id.as_ref().map(|o| o.as_str())
    );
    assert_eq!(
        c.place_of_origin.as_deref(),
        Some(card.place_of_origin.as_str())
    );
    assert_eq!(c.ethnicity, card.ethnicity);
    assert_eq!(c.religion, card.religion);
    assert_eq!(c.nationality.as_deref(), Some("VNM"));
    assert_eq!(c.card_model, card.model().as_str());
    // Wire forms of the profile: YYYYMMDD, gender 1/2.
    assert_eq!(v.claims.text(8), Some("19900315"));
    assert_eq!(v.claims.gender, Some(2));
    assert_eq!(v.claims.text(78), Some("20300315"));
}

#[test]
fn card_without_expiry_has_no_exp() {
    let mut card = Card::sample();
    card.expiry_date = None;
    let text = sign_card(&card, &key(), ISSUER, now()).expect("sign");
    let v = verify(&text, &[pubkey()], date(2099, 1, 1)).expect("valid");
    assert_eq!(v.expires, None);
    assert!(!v.expired);
    assert_eq!(v.claims.text(78), Some("none"));
    assert!(matches!(&v.document, Document::Card(c) if c.expiry_date.is_none()));
}

#[test]
fn confirmation_round_trip() {
    let c = confirmation();
    let text = sign_confirmation(&c, &key(), ISSUER, now()).expect("sign");
    let v = verify(&text, &[pubkey()], today()).expect("valid");
    assert_eq!(v.document, Document::Confirmation(c));
    assert_eq!(v.expires, None);
    // A confirmation the reader would refuse is refused at signing.
    let mut bad = confirmation();
    bad.old_id = "12345".into();
    assert_eq!(
        sign_confirmation(&bad, &key(), ISSUER, now()).map_err(|e| e.code()),
        Err("seal.claim")
    );
}

#[test]
fn expired_is_reported_not_a_signature_error() {
    let mut card = Card::sample();
    card.expiry_date = Some(date(2026, 1, 10));
    let text = sign_card(&card, &key(), ISSUER, now()).expect("sign");
    // The expiry day itself is still valid; the day after is not.
    let on_day = verify(&text, &[pubkey()], date(2026, 1, 10)).expect("signature holds");
    assert!(!on_day.expired);
    let after = verify(&text, &[pubkey()], date(2026, 1, 11)).expect("signature holds");
    assert!(after.expired);
    assert!(after.signature_ok);
}

#[test]
fn tampered_claims_fail_the_signature() {
    let (_, text) = signed_card();
    let Value::Tag(18, inner) = unpack(&text) else {
        panic!("tag 18")
    };
    let Value::Array(mut a) = *inner else {
        panic!("array")
    };
    let mut claims: Value =
        ciborium::from_reader(&a[2].as_bytes().expect("bytes")[..]).expect("cbor");
    // Change one CBOR value: the full name in claim 169.
    let Value::Map(cwt) = &mut claims else {
        panic!("map")
    };
    let (_, identity) = cwt
        .iter_mut()
        .find(|(k, _)| k.as_integer() == Some(169.into()))
        .expect("169");
    let Value::Map(id) = identity else {
        panic!("map")
    };
    let (_, name) = id
        .iter_mut()
        .find(|(k, _)| k.as_integer() == Some(4.into()))
        .expect("key 4");
    *name = Value::Text("Kẻ Giả Mạo".into());
    let mut raw = Vec::new();
    ciborium::into_writer(&claims, &mut raw).expect("cbor");
    a[2] = Value::Bytes(raw);
    let forged = pack_value(&Value::Tag(18, Box::new(Value::Array(a))));
    assert_eq!(
        verify(&forged, &[pubkey()], today()),
        Err(SealError::Signature)
    );
    // The claims still read without the signature, with the forged name.
    let d = decode_unverified(&forged, today()).expect("decodes");
    assert_eq!(d.claims.text(4), Some("Kẻ Giả Mạo"));
}

#[test]
fn wrong_key_fails() {
    let (_, text) = signed_card();
    let other = SigningKey::from_seed(&[9; 32]);
    // Different kid: unknown key.
    let e = verify(&text, &[other.verifying_key().clone()], today()).expect_err("wrong key");
    assert_eq!(e.code(), "seal.unknown_kid");
    assert!(e.message_en().contains(&key().kid().to_string()));
    // Same kid, wrong key (a kid collision or a forged header): signature.
    let no_kid = resign(&text, &other, KidPlace::None, Wrap::Tag18);
    assert_eq!(
        verify(&no_kid, &[pubkey()], today()),
        Err(SealError::Signature)
    );
    assert_eq!(verify(&text, &[], today()), Err(SealError::NoKey));
}

#[test]
fn truncated_text_is_named() {
    let (_, text) = signed_card();
    // Cut inside a base45 group (3k+1 characters) and cut at a group
    // boundary (the zlib stream ends early): both say "truncated".
    let n = text.len();
    let cut_group = &text[..(n / 3) * 3 - 2];
    assert_eq!(
        verify(cut_group, &[pubkey()], today()),
        Err(SealError::Truncated {
            what: Truncation::Base45 {
                chars: cut_group.len()
            }
        })
    );
    let cut_stream = &text[..(n / 3) * 3 - 30];
    let e = verify(cut_stream, &[pubkey()], today()).expect_err("cut");
    assert!(
        matches!(
            e,
            SealError::Truncated {
                what: Truncation::Zlib { .. }
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.code(), "seal.truncated");
    // Every shorter prefix fails, none panics.
    for cut in 0..n {
        assert!(
            verify(&text[..cut], &[pubkey()], today()).is_err(),
            "cut {cut}"
        );
    }
}

#[test]
fn bad_base45_character_is_located() {
    let (_, text) = signed_card();
    let mut chars: Vec<char> = text.chars().collect();
    chars[41] = 'é';
    let bad: String = chars.into_iter().collect();
    let e = verify(&bad, &[pubkey()], today()).expect_err("bad char");
    assert_eq!(
        e,
        SealError::Base45Char {
            position: 42,
            found: 'é'
        }
    );
    assert_eq!(e.code(), "seal.base45");
    assert!(e.message_vi().contains("vị trí 42"));
    // Lowercase is not base45 either (a scanner that lowercases).
    assert!(matches!(
        verify(&text.to_lowercase(), &[pubkey()], today()),
        Err(SealError::Base45Char { .. })
    ));
    // A trailing line end (keyboard-wedge scanner) is fine.
    assert!(verify(&format!("{text}\r\n"), &[pubkey()], today()).is_ok());
}

#[test]
fn not_zlib_not_cbor_not_cose() {
    let raw_cose = {
        let Value::Tag(18, _) = unpack(&signed_card().1) else {
            panic!()
        };
        let bytes = base45::decode(&signed_card().1).expect("b45");
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&bytes[..]), &mut raw)
            .expect("zlib");
        raw
    };
    // Uncompressed COSE straight in base45: not zlib.
    let e = verify(&base45::encode(&raw_cose), &[pubkey()], today()).expect_err("not zlib");
    assert_eq!(e.code(), "seal.zlib");
    // zlib of bytes that are not CBOR.
    let e = verify(&pack_bytes(&[0xff, 0x00]), &[pubkey()], today()).expect_err("not cbor");
    assert_eq!(e.code(), "seal.cbor");
    // zlib of CBOR that is not COSE.
    let e = verify(
        &pack_value(&Value::Text("xin chào".into())),
        &[pubkey()],
        today(),
    )
    .expect_err("not cose");
    assert_eq!(e.code(), "seal.cose");
    // Trailing bytes after the COSE item.
    let mut extra = raw_cose.clone();
    extra.push(0);
    let e = verify(&pack_bytes(&extra), &[pubkey()], today()).expect_err("trailing");
    assert_eq!(e.code(), "seal.cbor");
    // COSE_Encrypt0 is refused by name.
    let e = verify(
        &pack_value(&Value::Tag(16, Box::new(Value::Array(vec![])))),
        &[pubkey()],
        today(),
    )
    .expect_err("encrypt0");
    assert_eq!(e.code(), "seal.cose");
    assert!(e.message_en().contains("Encrypt0"));
}

#[test]
fn missing_claim_169() {
    let mut raw = Vec::new();
    ciborium::into_writer(
        &Value::Map(vec![(Value::Integer(1.into()), Value::Text(ISSUER.into()))]),
        &mut raw,
    )
    .expect("cbor");
    let text = sign_payload(raw, &key(), KidPlace::Protected, Wrap::Tag18);
    assert_eq!(
        verify(&text, &[pubkey()], today()),
        Err(SealError::Claim169Missing)
    );
}

enum KidPlace {
    Protected,
    Unprotected,
    None,
}

enum Wrap {
    Untagged,
    Tag18,
    Tag61Tag18,
}

fn sign_payload(payload: Vec<u8>, key: &SigningKey, kid: KidPlace, wrap: Wrap) -> String {
    let dalek = ed25519_dalek::SigningKey::from_bytes(&key_seed(key));
    let kid_bytes = key.kid().0.to_vec();
    let mut protected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA);
    let mut unprotected = HeaderBuilder::new();
    match kid {
        KidPlace::Protected => protected = protected.key_id(kid_bytes),
        KidPlace::Unprotected => unprotected = unprotected.key_id(kid_bytes),
        KidPlace::None => {}
    }
    let sign1 = CoseSign1Builder::new()
        .protected(protected.build())
        .unprotected(unprotected.build())
        .payload(payload)
        .create_signature(b"", |tbs| {
            use ed25519_dalek::Signer;
            dalek.sign(tbs).to_bytes().to_vec()
        })
        .build();
    match wrap {
        Wrap::Untagged => pack_bytes(&sign1.to_vec().expect("cose")),
        Wrap::Tag18 => pack_bytes(&sign1.to_tagged_vec().expect("cose")),
        Wrap::Tag61Tag18 => {
            let inner: Value =
                ciborium::from_reader(&sign1.to_tagged_vec().expect("cose")[..]).expect("cbor");
            pack_value(&Value::Tag(61, Box::new(inner)))
        }
    }
}

/// The tests' keys are all made from known seeds.
fn key_seed(key: &SigningKey) -> [u8; 32] {
    for seed in [SEED, [9; 32]] {
        if SigningKey::from_seed(&seed).kid() == key.kid() {
            return seed;
        }
    }
    panic!("unknown test key")
}

fn resign(text: &str, key: &SigningKey, kid: KidPlace, wrap: Wrap) -> String {
    sign_payload(payload_of(text), key, kid, wrap)
}

#[test]
fn tags_and_kid_placements_are_accepted() {
    let (card, text) = signed_card();
    for (kid, wrap) in [
        (KidPlace::Unprotected, Wrap::Tag18),
        (KidPlace::Protected, Wrap::Untagged),
        (KidPlace::Protected, Wrap::Tag61Tag18),
        (KidPlace::Unprotected, Wrap::Tag61Tag18),
        (KidPlace::None, Wrap::Untagged),
    ] {
        let variant = resign(&text, &key(), kid, wrap);
        let v = verify(&variant, &[pubkey()], today()).expect("variant verifies");
        assert!(matches!(&v.document, Document::Card(c) if c.full_name == card.full_name));
    }
}

#[test]
fn other_algorithms_are_refused() {
    let (_, text) = signed_card();
    let sign1 = CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(iana::Algorithm::ES256)
                .build(),
        )
        .payload(payload_of(&text))
        .signature(vec![0; 64])
        .build();
    let e = verify(
        &pack_bytes(&sign1.to_tagged_vec().expect("cose")),
        &[pubkey()],
        today(),
    )
    .expect_err("ES256");
    assert_eq!(e.code(), "seal.alg");
}

#[test]
fn pem_round_trip_and_kid() {
    let k = SigningKey::generate().expect("random");
    let pem = k.to_pem().expect("pem");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let back = SigningKey::from_pem(&pem).expect("reads back");
    assert_eq!(back.kid(), k.kid());
    let pubpem = k.verifying_key().to_pem().expect("pem");
    assert!(pubpem.starts_with("-----BEGIN PUBLIC KEY-----"));
    let p = VerifyingKey::from_pem(&pubpem).expect("reads back");
    assert_eq!(&p, k.verifying_key());
    // kid = first 8 bytes of SHA-256(raw public key).
    use sha2::Digest;
    let digest = sha2::Sha256::digest(p.to_bytes());
    assert_eq!(p.kid().0[..], digest[..8]);
    assert_eq!(
        SigningKey::from_pem(&pubpem).map_err(|e| e.code()).err(),
        Some("seal.key")
    );
    assert_eq!(
        VerifyingKey::from_pem("junk").map_err(|e| e.code()).err(),
        Some("seal.key")
    );
    // RFC 8410 §10.3 example private key (an independent PEM).
    let rfc = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
    let k = SigningKey::from_pem(rfc).expect("RFC 8410 key");
    assert_eq!(
        k.verifying_key().to_pem().expect("pem").lines().nth(1),
        Some("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=")
    );
}

/// The size of a signed specimen card and the QR version it needs at
/// ECC Q (alphanumeric mode). Printed for the docs; bounded so growth is
/// noticed.
#[test]
fn qr_size_of_a_signed_card() {
    let (_, text) = signed_card();
    assert!(
        text.bytes()
            .all(|b| b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains(&b))
    );
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::Q)
        .expect("fits a QR");
    let qrcode::Version::Normal(v) = qr.version() else {
        panic!("normal QR")
    };
    println!(
        "signed card: {} characters, QR version {v} at ECC Q",
        text.len()
    );
    assert!(text.len() < 700, "{} chars", text.len());
    assert!(v <= 22, "version {v}");
}
