//! Passive authentication (ICAO Doc 9303 Part 11 §5.1; research `card.md`
//! §2.2 and the traps of §5):
//!
//! 1. EF.SOD parses; its eContentType is `2.23.136.1.1.1` (or one of the
//!    legacy OIDs JMRTD accepts: `1.3.27.1.1.1`, `1.2.528.1.1006.1.20.1`).
//! 2. The `messageDigest` signed attribute equals the hash of eContent with
//!    the SignerInfo's digest algorithm; `contentType` equals eContentType.
//! 3. The signature is checked over the signed attributes re-encoded as a
//!    SET (`31`, not the stored `A0`), with the algorithm named in the
//!    SignerInfo (never the certificate's), and the key of the embedded
//!    certificate the SignerInfo identifies.
//! 4. The DS certificate is signed by a trusted CSCA (given by the caller,
//!    never taken from the chip) whose subject is the DS issuer; DS and CSCA
//!    are valid on `today`.
//! 5. Every data group present is hashed as read with the SOD's hash
//!    algorithm and compared; a group listed but absent, or present but not
//!    listed, fails.
//!
//! Signatures: ecdsa-with-SHA1/256/384/512 on P-256 and P-384 keys,
//! RSASSA-PSS (MGF1 with the same hash) and PKCS#1 v1.5 (sha*WithRSA, or
//! rsaEncryption with the SignerInfo's digest). Brainpool curves are not
//! supported (no RustCrypto crate for brainpoolP512r1, research §2.3).

use crate::sod::{self, AlgId, HashAlg, Sod};
use crate::tlv;
use crate::{ChipDump, Dg13, dg13, lds};
use der::asn1::ObjectIdentifier as Oid;
use der::{Decode, Encode};
use jiff::civil::Date;
use serde::Serialize;
use x509_cert::Certificate;

/// One check of passive authentication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was checked: `signature`, `chain`, `validity`, `DG1`, …
    pub item: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found (names what failed).
    pub detail: String,
}

/// DG1 decoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dg1Info {
    /// The MRZ lines.
    pub lines: Vec<String>,
    /// `TD1`, `TD2`, `TD3`, …
    pub format: String,
    /// Document code (`ID`, `P`, …).
    pub document_code: String,
    /// Issuing state.
    pub issuing_state: String,
    /// Document number.
    pub document_number: String,
    /// The 12-digit personal ID of a Vietnamese card, when present.
    pub personal_id: Option<String>,
    /// Surname.
    pub surname: String,
    /// Given names.
    pub given_names: String,
    /// Date of birth as written (`YYMMDD`).
    pub birth_date: String,
    /// Sex character (`M`, `F`, `<`).
    pub sex: String,
    /// Date of expiry as written (`YYMMDD`).
    pub expiry_date: String,
    /// Nationality.
    pub nationality: String,
    /// Whether every check digit and field is valid.
    pub mrz_valid: bool,
}

/// The verdict of passive authentication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// True only when every check passed and `signature`, `chain` and `DG1`
    /// are among them.
    pub valid: bool,
    /// The checks in order.
    pub checks: Vec<Check>,
    /// DG1 decoded, when present and readable.
    pub dg1: Option<Dg1Info>,
    /// DG13 decoded, when present and readable.
    pub dg13: Option<Dg13>,
}

fn check(item: impl Into<String>, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        item: item.into(),
        ok,
        detail: detail.into(),
    }
}

fn short_hex(b: &[u8]) -> String {
    let h: String = b.iter().take(4).map(|x| format!("{x:02x}")).collect();
    if b.len() > 4 { format!("{h}…") } else { h }
}

/// Verifies `signature` over `message` with the key `spki` and the
/// algorithm `alg`; `digest` is the SignerInfo's digest algorithm (used by
/// a bare rsaEncryption). Returns a description of what was verified.
pub fn verify_signature(
    spki: &spki::SubjectPublicKeyInfoOwned,
    alg: &AlgId,
    digest: Option<HashAlg>,
    message: &[u8],
    signature: &[u8],
) -> Result<String, String> {
    let oid = alg.oid.to_string();
    let ecdsa = match oid.as_str() {
        "1.2.840.10045.4.1" => Some(HashAlg::Sha1),
        "1.2.840.10045.4.3.2" => Some(HashAlg::Sha256),
        "1.2.840.10045.4.3.3" => Some(HashAlg::Sha384),
        "1.2.840.10045.4.3.4" => Some(HashAlg::Sha512),
        _ => None,
    };
    if let Some(h) = ecdsa {
        return verify_ecdsa(spki, h, message, signature)
            .map(|curve| format!("ecdsa-with-{} on {curve}", h.name()));
    }
    let pkcs1 = match oid.as_str() {
        "1.2.840.113549.1.1.5" => Some(HashAlg::Sha1),
        "1.2.840.113549.1.1.11" => Some(HashAlg::Sha256),
        "1.2.840.113549.1.1.12" => Some(HashAlg::Sha384),
        "1.2.840.113549.1.1.13" => Some(HashAlg::Sha512),
        "1.2.840.113549.1.1.1" => Some(digest.ok_or("rsaEncryption without a digest algorithm")?),
        _ => None,
    };
    let key = || {
        use rsa::pkcs1::DecodeRsaPublicKey;
        rsa::PublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes())
            .map_err(|e| format!("the certificate key is not an RSA key: {e}"))
    };
    if let Some(h) = pkcs1 {
        let k = key()?;
        let scheme = match h {
            HashAlg::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
            HashAlg::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            HashAlg::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            HashAlg::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        };
        return k
            .verify(scheme, &h.digest(message), signature)
            .map(|_| format!("RSA PKCS#1 v1.5 with {}", h.name()))
            .map_err(|e| format!("RSA PKCS#1 v1.5 signature does not verify ({e})"));
    }
    if oid == "1.2.840.113549.1.1.10" {
        let (h, salt) = pss_params(alg.params.as_deref())?;
        let k = key()?;
        let d = h.digest(message);
        let r = match h {
            HashAlg::Sha1 => k.verify(rsa::Pss::<sha1::Sha1>::new_with_salt(salt), &d, signature),
            HashAlg::Sha256 => {
                k.verify(rsa::Pss::<sha2::Sha256>::new_with_salt(salt), &d, signature)
            }
            HashAlg::Sha384 => {
                k.verify(rsa::Pss::<sha2::Sha384>::new_with_salt(salt), &d, signature)
            }
            HashAlg::Sha512 => {
                k.verify(rsa::Pss::<sha2::Sha512>::new_with_salt(salt), &d, signature)
            }
        };
        return r
            .map(|_| {
                format!(
                    "RSASSA-PSS with {}, MGF1-{}, salt {salt}",
                    h.name(),
                    h.name()
                )
            })
            .map_err(|e| format!("RSASSA-PSS signature does not verify ({e})"));
    }
    Err(format!("unsupported signature algorithm {oid}"))
}

/// RSASSA-PSS-params (RFC 4055): hash [0], MGF [1], salt [2], trailer [3].
fn pss_params(params: Option<&[u8]>) -> Result<(HashAlg, usize), String> {
    let (mut hash, mut mgf_hash, mut salt) = (HashAlg::Sha1, HashAlg::Sha1, 20usize);
    let Some(p) = params else {
        return Ok((hash, salt));
    };
    let seq = tlv::expect(p, 0x30, "RSASSA-PSS-params").map_err(|e| e.to_string())?;
    let bad = |m: &str| format!("RSASSA-PSS-params: {m}");
    for c in seq.children().map_err(|e| e.to_string())? {
        let inner = tlv::parse_exact(c.value).map_err(|e| bad(&e.to_string()))?;
        match c.tag {
            0xA0 => {
                let a = sod::alg_id(&inner, "hash").map_err(|e| e.to_string())?;
                hash = HashAlg::from_oid(&a.oid).ok_or_else(|| bad("unsupported hash"))?;
            }
            0xA1 => {
                let a = sod::alg_id(&inner, "mgf").map_err(|e| e.to_string())?;
                if a.oid.to_string() != "1.2.840.113549.1.1.8" {
                    return Err(bad("mask generation function is not MGF1"));
                }
                let inner = a.params.ok_or_else(|| bad("MGF1 without a hash"))?;
                let t = tlv::parse_exact(&inner).map_err(|e| bad(&e.to_string()))?;
                let h = sod::alg_id(&t, "MGF1 hash").map_err(|e| e.to_string())?;
                mgf_hash = HashAlg::from_oid(&h.oid).ok_or_else(|| bad("unsupported MGF1 hash"))?;
            }
            0xA2 => {
                salt = tlv::read_uint(&inner)
                    .and_then(|v| usize::try_from(v).ok())
                    .filter(|v| *v <= 1024)
                    .ok_or_else(|| bad("bad salt length"))?;
            }
            0xA3 => {
                if tlv::read_uint(&inner) != Some(1) {
                    return Err(bad("trailer field is not 1"));
                }
            }
            _ => return Err(bad("unexpected field")),
        }
    }
    if mgf_hash != hash {
        return Err(bad("MGF1 hash differs from the message hash (unsupported)"));
    }
    Ok((hash, salt))
}

fn verify_ecdsa(
    spki: &spki::SubjectPublicKeyInfoOwned,
    h: HashAlg,
    message: &[u8],
    sig: &[u8],
) -> Result<&'static str, String> {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    if spki.algorithm.oid.to_string() != "1.2.840.10045.2.1" {
        return Err("the certificate key is not an EC key".into());
    }
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<Oid>().ok())
        .map(|o| o.to_string())
        .unwrap_or_else(|| "explicit or missing parameters".into());
    let point = spki.subject_public_key.raw_bytes();
    let digest = h.digest(message);
    match curve.as_str() {
        "1.2.840.10045.3.1.7" => {
            let k = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|_| "bad P-256 public key".to_string())?;
            let s = p256::ecdsa::Signature::from_der(sig)
                .or_else(|_| p256::ecdsa::Signature::from_slice(sig))
                .map_err(|_| "malformed ECDSA signature".to_string())?;
            k.verify_prehash(&digest, &s)
                .map(|_| "P-256")
                .map_err(|_| "ECDSA signature does not verify".to_string())
        }
        "1.3.132.0.34" => {
            let k = p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|_| "bad P-384 public key".to_string())?;
            let s = p384::ecdsa::Signature::from_der(sig)
                .or_else(|_| p384::ecdsa::Signature::from_slice(sig))
                .map_err(|_| "malformed ECDSA signature".to_string())?;
            k.verify_prehash(&digest, &s)
                .map(|_| "P-384")
                .map_err(|_| "ECDSA signature does not verify".to_string())
        }
        other => Err(format!("unsupported EC curve {other}")),
    }
}

/// The TBSCertificate bytes as read, the outer signature algorithm and the
/// signature of a DER certificate.
fn cert_parts(raw: &[u8]) -> Result<(&[u8], AlgId, Vec<u8>), String> {
    let t = tlv::expect(raw, 0x30, "Certificate").map_err(|e| e.to_string())?;
    let c = t.children().map_err(|e| e.to_string())?;
    let (Some(tbs), Some(alg), Some(sig), 3) = (c.first(), c.get(1), c.get(2), c.len()) else {
        return Err("certificate is not SEQUENCE { tbs, algorithm, signature }".into());
    };
    let alg = sod::alg_id(alg, "certificate signatureAlgorithm").map_err(|e| e.to_string())?;
    if sig.tag != 0x03 || sig.value.first() != Some(&0) {
        return Err("certificate signature is not a whole-byte BIT STRING".into());
    }
    Ok((tbs.raw, alg, sig.value[1..].to_vec()))
}

fn subject_cn(c: &Certificate) -> String {
    c.tbs_certificate().subject().to_string()
}

fn valid_on(c: &Certificate, today: Date) -> Result<(), String> {
    let v = c.tbs_certificate().validity();
    let date = |t: &x509_cert::time::Time| -> Option<Date> {
        let secs = i64::try_from(t.to_unix_duration().as_secs()).ok()?;
        Some(
            jiff::Timestamp::from_second(secs)
                .ok()?
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date(),
        )
    };
    let (Some(nb), Some(na)) = (date(&v.not_before), date(&v.not_after)) else {
        return Err("validity dates out of range".into());
    };
    if today < nb {
        return Err(format!("not valid before {nb}"));
    }
    if today > na {
        return Err(format!("expired on {na}"));
    }
    Ok(())
}

/// The outcome of the signer and hash checks, before the verdict.
struct SignerOutcome {
    checks: Vec<Check>,
    ds: Option<(Vec<u8>, Certificate)>,
}

/// Checks 1–3 and 5 (everything that needs no trust anchor) on a parsed
/// SOD against the files of `dump`.
fn check_sod(sod: &Sod, dump: &ChipDump) -> SignerOutcome {
    let mut checks = Vec::new();
    let ct = &sod.econtent_type;
    let ct_ok = [
        sod::OID_LDS_SECURITY_OBJECT,
        sod::OID_LDS_LEGACY_BE_FR,
        sod::OID_LDS_LEGACY_NL,
    ]
    .contains(ct);
    checks.push(check(
        "eContentType",
        ct_ok,
        if ct_ok {
            format!("{ct} (LDS security object)")
        } else {
            format!("{ct} is not an LDS security object")
        },
    ));

    // The parts of SignedData no signature covers: they must be exactly
    // what CMS prescribes, so a changed byte there cannot go unnoticed.
    let si = &sod.signer;
    let mut problems = Vec::new();
    if sod.version != 3 {
        problems.push(format!("SignedData version {} (must be 3)", sod.version));
    }
    match (si.version, &si.issuer_and_serial, &si.subject_key_id) {
        (1, Some(_), None) | (3, None, Some(_)) => {}
        (v, _, _) => problems.push(format!(
            "SignerInfo version {v} does not fit its signer identifier"
        )),
    }
    if !sod.digest_algorithms.contains(&si.digest_algorithm) {
        problems.push(format!(
            "the signer's digest algorithm {} is not listed in digestAlgorithms",
            si.digest_algorithm.oid
        ));
    }
    for a in sod
        .digest_algorithms
        .iter()
        .chain([&si.digest_algorithm, &sod.lds.hash_algorithm])
    {
        if a.params.as_deref().is_some_and(|p| p != [0x05, 0x00]) {
            problems.push(format!("hash algorithm {} has parameters", a.oid));
        }
    }
    if sod.lds.version > 1 {
        problems.push(format!("LDS security object version {}", sod.lds.version));
    }
    checks.push(if problems.is_empty() {
        check("SignedData", true, "structure as CMS and ICAO prescribe")
    } else {
        check("SignedData", false, problems.join("; "))
    });

    // Data group hashes.
    let lds = &sod.lds;
    let dg_alg = HashAlg::from_oid(&lds.hash_algorithm.oid);
    let mut listed: Vec<u32> = lds.hashes.iter().map(|(n, _)| *n).collect();
    for (name, _) in &dump.files {
        if let Some(n) = name.strip_prefix("DG").and_then(|n| n.parse::<u32>().ok())
            && !listed.contains(&n)
        {
            listed.push(n);
        }
    }
    for n in listed {
        let item = format!("DG{n}");
        let expected = lds.hashes.iter().find(|(m, _)| *m == n).map(|(_, h)| h);
        let read = dump.get(&item);
        let c = match (expected, read, dg_alg) {
            (_, _, None) => check(
                &item,
                false,
                format!(
                    "{item}: unsupported hash algorithm {}",
                    lds.hash_algorithm.oid
                ),
            ),
            (Some(_), None, _) => {
                check(&item, false, format!("{item}: listed in EF.SOD but absent"))
            }
            (None, Some(_), _) => check(
                &item,
                false,
                format!("{item}: present but not listed in EF.SOD"),
            ),
            (Some(e), Some(r), Some(h)) => {
                let got = h.digest(r);
                if &got == e {
                    check(
                        &item,
                        true,
                        format!("{item}: {} matches ({})", h.name(), short_hex(e)),
                    )
                } else {
                    check(
                        &item,
                        false,
                        format!(
                            "{item}: hash mismatch (SOD {}, read {})",
                            short_hex(e),
                            short_hex(&got)
                        ),
                    )
                }
            }
            (None, None, _) => continue,
        };
        checks.push(c);
    }

    // Signed attributes.
    let digest = HashAlg::from_oid(&si.digest_algorithm.oid);
    match (digest, si.attribute(&sod::OID_MESSAGE_DIGEST)) {
        (None, _) => checks.push(check(
            "messageDigest",
            false,
            format!("unsupported digest algorithm {}", si.digest_algorithm.oid),
        )),
        (_, None) => checks.push(check(
            "messageDigest",
            false,
            "no messageDigest signed attribute",
        )),
        (Some(h), Some(values)) => {
            let want = h.digest(&sod.econtent);
            let got = values
                .first()
                .filter(|_| values.len() == 1)
                .and_then(|v| tlv::parse_exact(v).ok())
                .filter(|t| t.tag == 0x04)
                .map(|t| t.value.to_vec());
            checks.push(match got {
                Some(g) if g == want => check(
                    "messageDigest",
                    true,
                    format!("{} of eContent matches ({})", h.name(), short_hex(&g)),
                ),
                Some(g) => check(
                    "messageDigest",
                    false,
                    format!(
                        "messageDigest {} ≠ {} of eContent {}",
                        short_hex(&g),
                        h.name(),
                        short_hex(&want)
                    ),
                ),
                None => check(
                    "messageDigest",
                    false,
                    "messageDigest is not one OCTET STRING",
                ),
            });
        }
    }
    let ct_attr = si
        .attribute(&sod::OID_CONTENT_TYPE)
        .filter(|v| v.len() == 1)
        .and_then(|v| {
            tlv::parse_exact(&v[0])
                .ok()
                .filter(|t| t.tag == 0x06)
                .map(|t| t.value.to_vec())
        });
    checks.push(match ct_attr {
        Some(v) if v == ct.as_bytes() => check("contentType", true, format!("{ct}")),
        Some(_) => check(
            "contentType",
            false,
            "contentType attribute differs from eContentType",
        ),
        None => check("contentType", false, "no contentType signed attribute"),
    });

    // The signer certificate and the signature.
    let ds = sod.certificates.iter().find_map(|raw| {
        let c = Certificate::from_der(raw).ok()?;
        let tbs = c.tbs_certificate();
        let matches = match (&si.issuer_and_serial, &si.subject_key_id) {
            (Some((issuer, serial)), _) => {
                tbs.issuer().to_der().ok().as_ref() == Some(issuer)
                    && tbs.serial_number().to_der().ok().as_ref() == Some(serial)
            }
            (None, Some(ski)) => {
                use x509_cert::ext::pkix::SubjectKeyIdentifier;
                matches!(tbs.get_extension::<SubjectKeyIdentifier>(), Ok(Some((_, k))) if k.0.as_bytes() == ski.as_slice())
            }
            (None, None) => false,
        };
        matches.then(|| (raw.clone(), c))
    });
    let sig_check = match (&ds, si.signed_attrs_as_set()) {
        (None, _) => check(
            "signature",
            false,
            "the signer's certificate is not in EF.SOD (no certificate matches the SignerInfo)",
        ),
        (_, None) => check(
            "signature",
            false,
            "no signed attributes (ICAO requires them)",
        ),
        (Some((_, cert)), Some(set)) => {
            match verify_signature(
                cert.tbs_certificate().subject_public_key_info(),
                &si.signature_algorithm,
                digest,
                &set,
                &si.signature,
            ) {
                Ok(how) => check("signature", true, format!("{how}, by {}", subject_cn(cert))),
                Err(e) => check("signature", false, e),
            }
        }
    };
    checks.push(sig_check);
    SignerOutcome { checks, ds }
}

/// Passive authentication of `dump` against the trusted CSCA certificates
/// `trust` on `today`, with DG1 and DG13 decoded.
pub fn verify(dump: &ChipDump, trust: &[Certificate], today: Date) -> Verdict {
    let mut checks = Vec::new();
    let sod = match dump.get("EF.SOD").map(sod::parse) {
        None => Err("EF.SOD is absent".to_string()),
        Some(Err(e)) => Err(e.to_string()),
        Some(Ok(s)) => Ok(s),
    };
    match sod {
        Err(e) => checks.push(check("EF.SOD", false, e)),
        Ok(sod) => {
            checks.push(check(
                "EF.SOD",
                true,
                format!(
                    "SignedData v{}, LDS security object v{}, {} data group hashes",
                    sod.version,
                    sod.lds.version,
                    sod.lds.hashes.len()
                ),
            ));
            let out = check_sod(&sod, dump);
            checks.extend(out.checks);
            checks.extend(chain_checks(out.ds.as_ref(), trust, today));
        }
    }
    let (dg1, dg1_err) = match dump.get("DG1").map(decode_dg1) {
        None => (None, None),
        Some(Ok(d)) => (Some(d), None),
        Some(Err(e)) => (None, Some(e)),
    };
    if let Some(e) = dg1_err {
        checks.push(check("DG1 content", false, e));
    }
    let (dg13, dg13_err) = match dump.get("DG13").map(dg13::decode) {
        None => (None, None),
        Some(Ok(d)) => (Some(d), None),
        Some(Err(e)) => (None, Some(e.to_string())),
    };
    if let Some(e) = dg13_err {
        checks.push(check("DG13 content", false, e));
    }
    let has = |item: &str| checks.iter().any(|c| c.item == item);
    let valid = checks.iter().all(|c| c.ok) && has("signature") && has("chain") && has("DG1");
    Verdict {
        valid,
        checks,
        dg1,
        dg13,
    }
}

/// The `chain` and `validity` checks of the document signer certificate.
fn chain_checks(
    ds: Option<&(Vec<u8>, Certificate)>,
    trust: &[Certificate],
    today: Date,
) -> Vec<Check> {
    let Some((raw, cert)) = ds else {
        return vec![
            check("chain", false, "no document signer certificate"),
            check("validity", false, "no document signer certificate"),
        ];
    };
    let mut out = Vec::new();
    let issuer = cert.tbs_certificate().issuer();
    let candidates: Vec<&Certificate> = trust
        .iter()
        .filter(|c| c.tbs_certificate().subject() == issuer)
        .collect();
    let mut anchor = None;
    let chain = if candidates.is_empty() {
        check(
            "chain",
            false,
            format!("no trusted CSCA for issuer {issuer}"),
        )
    } else {
        match cert_parts(raw) {
            Err(e) => check("chain", false, e),
            Ok((tbs, alg, sig)) => {
                let mut last = String::new();
                for c in &candidates {
                    match verify_signature(
                        c.tbs_certificate().subject_public_key_info(),
                        &alg,
                        None,
                        tbs,
                        &sig,
                    ) {
                        Ok(_) => {
                            anchor = Some(*c);
                            break;
                        }
                        Err(e) => last = e,
                    }
                }
                match anchor {
                    Some(c) => check(
                        "chain",
                        true,
                        format!("document signer signed by trusted CSCA {}", subject_cn(c)),
                    ),
                    None => check(
                        "chain",
                        false,
                        format!(
                            "the document signer is not signed by the trusted CSCA {issuer}: {last}"
                        ),
                    ),
                }
            }
        }
    };
    out.push(chain);
    let mut problems = Vec::new();
    if let Err(e) = valid_on(cert, today) {
        problems.push(format!("document signer {e}"));
    }
    if let Some(Err(e)) = anchor.map(|c| valid_on(c, today)) {
        problems.push(format!("CSCA {e}"));
    }
    out.push(if problems.is_empty() {
        check(
            "validity",
            true,
            if anchor.is_some() {
                format!("document signer and CSCA valid on {today}")
            } else {
                format!("document signer valid on {today} (no CSCA to check)")
            },
        )
    } else {
        check("validity", false, problems.join("; "))
    });
    out
}

/// Decodes DG1 into its MRZ lines and fields.
pub fn decode_dg1(bytes: &[u8]) -> Result<Dg1Info, String> {
    let mrz = lds::parse_dg1(bytes).map_err(|e| e.to_string())?;
    let width = match mrz.len() {
        90 => 30,
        72 => 36,
        88 => 44,
        n => return Err(format!("DG1: MRZ of {n} characters is not TD1, TD2 or TD3")),
    };
    let lines: Vec<String> = mrz
        .as_bytes()
        .chunks(width)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let joined = lines.join("\n");
    let m = cancuoc_core::mrz::parse(&joined).map_err(|e| format!("DG1: {e}"))?;
    Ok(Dg1Info {
        format: m.format().as_str().to_string(),
        document_code: m.document_code().to_string(),
        issuing_state: m.issuing_state().to_string(),
        document_number: m.document_number().to_string(),
        personal_id: m.personal_id().map(str::to_string),
        surname: m.surname_string(),
        given_names: m.given_names_string(),
        birth_date: m.birth_date().raw().to_string(),
        sex: m.sex_char().to_string(),
        expiry_date: m.expiry_date().raw().to_string(),
        nationality: m.nationality().to_string(),
        mrz_valid: m.is_valid(),
        lines,
    })
}
