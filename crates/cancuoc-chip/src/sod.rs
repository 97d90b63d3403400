//! EF.SOD, the document security object (ICAO Doc 9303 Part 10 §4.6.2,
//! research `card.md` §2.1): `77 { ContentInfo { SignedData } }` whose
//! encapsulated content (eContentType `2.23.136.1.1.1`) is the
//! `LDSSecurityObject` with the hash of every data group.
//!
//! The CMS structures are written and walked with [`crate::tlv`] rather than
//! the `cms` crate: for the der-0.8 generation `cms` exists only as
//! 0.3.0-rc.0, and verification needs `eContent` and the `[0]` signed
//! attributes exactly as read (a typed decode and re-encode would sort a SET
//! or normalise an encoding and so check bytes other than the signed ones).
//! Certificates and algorithm identifiers use `x509-cert`/`der`.
//!
//! The writer signs with the document signer's ECDSA P-256 key
//! (ecdsa-with-SHA256); the signed attributes are `contentType` and
//! `messageDigest`, sorted as a DER SET, and the DS certificate is embedded.

use crate::ChipError;
use crate::pki::DocumentSigner;
use crate::tlv::{self, Tlv};
use der::Encode;
use der::asn1::ObjectIdentifier as Oid;
use sha2::Digest;

/// id-icao-ldsSecurityObject (ICAO Doc 9303-10).
pub const OID_LDS_SECURITY_OBJECT: Oid = Oid::new_unwrap("2.23.136.1.1.1");
/// Legacy eContentType of some Belgian/French documents (JMRTD accepts it).
pub const OID_LDS_LEGACY_BE_FR: Oid = Oid::new_unwrap("1.3.27.1.1.1");
/// Legacy eContentType of Dutch (Sdu) documents (JMRTD accepts it).
pub const OID_LDS_LEGACY_NL: Oid = Oid::new_unwrap("1.2.528.1.1006.1.20.1");
/// id-signedData.
pub const OID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// The contentType signed attribute.
pub const OID_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
/// The messageDigest signed attribute.
pub const OID_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
/// ecdsa-with-SHA256.
pub const OID_ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");

/// A hash algorithm accepted for data group hashes and message digests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    /// SHA-1 (legacy documents).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// The algorithm of an OID, if accepted.
    pub fn from_oid(oid: &Oid) -> Option<HashAlg> {
        match oid.to_string().as_str() {
            "1.3.14.3.2.26" => Some(HashAlg::Sha1),
            "2.16.840.1.101.3.4.2.1" => Some(HashAlg::Sha256),
            "2.16.840.1.101.3.4.2.2" => Some(HashAlg::Sha384),
            "2.16.840.1.101.3.4.2.3" => Some(HashAlg::Sha512),
            _ => None,
        }
    }

    /// The OID.
    pub fn oid(self) -> Oid {
        Oid::new_unwrap(match self {
            HashAlg::Sha1 => "1.3.14.3.2.26",
            HashAlg::Sha256 => "2.16.840.1.101.3.4.2.1",
            HashAlg::Sha384 => "2.16.840.1.101.3.4.2.2",
            HashAlg::Sha512 => "2.16.840.1.101.3.4.2.3",
        })
    }

    /// `SHA-256` etc.
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha1 => sha1::Sha1::digest(data).to_vec(),
            HashAlg::Sha256 => sha2::Sha256::digest(data).to_vec(),
            HashAlg::Sha384 => sha2::Sha384::digest(data).to_vec(),
            HashAlg::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

/// An AlgorithmIdentifier as read: OID and the raw parameters TLV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlgId {
    /// The algorithm.
    pub oid: Oid,
    /// The parameters TLV as read (absent, NULL or a structure).
    pub params: Option<Vec<u8>>,
}

/// The LDS security object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LdsSecurityObject {
    /// 0 (v0) or 1 (v1, with LDS version info).
    pub version: u64,
    /// The data group hash algorithm.
    pub hash_algorithm: AlgId,
    /// (data group number, hash) in the order listed.
    pub hashes: Vec<(u32, Vec<u8>)>,
}

/// The signer of the SOD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerInfo {
    /// The SignerInfo version (1: issuer and serial; 3: key identifier).
    pub version: u64,
    /// DER of the signer certificate's issuer Name and serial INTEGER, when
    /// identified that way.
    pub issuer_and_serial: Option<(Vec<u8>, Vec<u8>)>,
    /// The subject key identifier, when identified that way.
    pub subject_key_id: Option<Vec<u8>>,
    /// The digest algorithm of the signer.
    pub digest_algorithm: AlgId,
    /// The content of the `[0]` signed attributes, as read (without its tag).
    pub signed_attrs: Option<Vec<u8>>,
    /// The signed attributes: (type, raw value TLVs).
    pub attributes: Vec<(Oid, Vec<Vec<u8>>)>,
    /// The signature algorithm of this SignerInfo.
    pub signature_algorithm: AlgId,
    /// The signature.
    pub signature: Vec<u8>,
}

impl SignerInfo {
    /// The signed attributes re-tagged as a SET (`31`): what is signed.
    pub fn signed_attrs_as_set(&self) -> Option<Vec<u8>> {
        self.signed_attrs.as_ref().map(|a| tlv::encode(0x31, a))
    }

    /// The values of the attribute `oid`.
    pub fn attribute(&self, oid: &Oid) -> Option<&[Vec<u8>]> {
        self.attributes
            .iter()
            .find(|(o, _)| o == oid)
            .map(|(_, v)| v.as_slice())
    }
}

/// A parsed EF.SOD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sod {
    /// The SignedData version.
    pub version: u64,
    /// The digest algorithms listed in SignedData.
    pub digest_algorithms: Vec<AlgId>,
    /// eContentType.
    pub econtent_type: Oid,
    /// The eContent octets (the DER of the LDS security object) as read.
    pub econtent: Vec<u8>,
    /// The decoded LDS security object.
    pub lds: LdsSecurityObject,
    /// The embedded certificates, DER as read.
    pub certificates: Vec<Vec<u8>>,
    /// The first SignerInfo.
    pub signer: SignerInfo,
}

fn err(m: impl Into<String>) -> ChipError {
    ChipError::Structure(format!("EF.SOD: {}", m.into()))
}

fn want<'a>(t: Option<&Tlv<'a>>, tag: u32, what: &str) -> Result<Tlv<'a>, ChipError> {
    match t {
        Some(t) if t.tag == tag => Ok(*t),
        Some(t) => Err(err(format!(
            "{what}: expected tag {tag:X}, found {:X}",
            t.tag
        ))),
        None => Err(err(format!("{what} missing"))),
    }
}

fn oid_of(t: &Tlv<'_>, what: &str) -> Result<Oid, ChipError> {
    if t.tag != 0x06 {
        return Err(err(format!("{what}: not an OBJECT IDENTIFIER")));
    }
    Oid::from_bytes(t.value).map_err(|_| err(format!("{what}: malformed OBJECT IDENTIFIER")))
}

fn uint(t: Option<&Tlv<'_>>, what: &str) -> Result<u64, ChipError> {
    let t = want(t, 0x02, what)?;
    tlv::read_uint(&t).ok_or_else(|| err(format!("{what}: not a small non-negative INTEGER")))
}

/// Reads an AlgorithmIdentifier.
pub fn alg_id(t: &Tlv<'_>, what: &str) -> Result<AlgId, ChipError> {
    if t.tag != 0x30 {
        return Err(err(format!(
            "{what}: AlgorithmIdentifier is not a SEQUENCE"
        )));
    }
    let c = t.children()?;
    let oid = oid_of(
        c.first().ok_or_else(|| err(format!("{what}: empty")))?,
        what,
    )?;
    if c.len() > 2 {
        return Err(err(format!("{what}: extra fields")));
    }
    Ok(AlgId {
        oid,
        params: c.get(1).map(|p| p.raw.to_vec()),
    })
}

fn parse_lds(bytes: &[u8]) -> Result<LdsSecurityObject, ChipError> {
    let seq = tlv::expect(bytes, 0x30, "LDSSecurityObject")?;
    let c = seq.children()?;
    let version = uint(c.first(), "LDSSecurityObject version")?;
    let hash_algorithm = alg_id(
        c.get(1).ok_or_else(|| err("hashAlgorithm missing"))?,
        "hashAlgorithm",
    )?;
    let list = want(c.get(2), 0x30, "dataGroupHashValues")?;
    let mut hashes = Vec::new();
    for h in list.children()? {
        if h.tag != 0x30 {
            return Err(err("DataGroupHash is not a SEQUENCE"));
        }
        let p = h.children()?;
        let n = uint(p.first(), "dataGroupNumber")?;
        if !(1..=16).contains(&n) {
            return Err(err(format!("dataGroupNumber {n} outside 1..16")));
        }
        let v = want(p.get(1), 0x04, "dataGroupHashValue")?;
        if p.len() != 2 {
            return Err(err("DataGroupHash: extra fields"));
        }
        if hashes.iter().any(|(m, _)| u64::from(*m) == n) {
            return Err(err(format!("DG{n} listed twice")));
        }
        hashes.push((n as u32, v.value.to_vec()));
    }
    if c.len() > 4 {
        return Err(err("LDSSecurityObject: extra fields"));
    }
    Ok(LdsSecurityObject {
        version,
        hash_algorithm,
        hashes,
    })
}

fn parse_signer(t: &Tlv<'_>) -> Result<SignerInfo, ChipError> {
    if t.tag != 0x30 {
        return Err(err("SignerInfo is not a SEQUENCE"));
    }
    let c = t.children()?;
    let mut it = c.iter().peekable();
    let version = uint(it.next(), "SignerInfo version")?;
    let sid = it.next().ok_or_else(|| err("SignerInfo sid missing"))?;
    let (issuer_and_serial, subject_key_id) = match sid.tag {
        0x30 => {
            let p = sid.children()?;
            let issuer = want(p.first(), 0x30, "sid issuer")?;
            let serial = want(p.get(1), 0x02, "sid serialNumber")?;
            (Some((issuer.raw.to_vec(), serial.raw.to_vec())), None)
        }
        0x80 => (None, Some(sid.value.to_vec())),
        other => return Err(err(format!("SignerInfo sid: unexpected tag {other:X}"))),
    };
    let digest_algorithm = alg_id(
        it.next()
            .ok_or_else(|| err("SignerInfo digestAlgorithm missing"))?,
        "SignerInfo digestAlgorithm",
    )?;
    let mut signed_attrs = None;
    let mut attributes = Vec::new();
    if let Some(a) = it.peek().filter(|a| a.tag == 0xA0) {
        signed_attrs = Some(a.value.to_vec());
        for attr in a.children()? {
            if attr.tag != 0x30 {
                return Err(err("signed attribute is not a SEQUENCE"));
            }
            let p = attr.children()?;
            let oid = oid_of(
                p.first().ok_or_else(|| err("signed attribute: empty"))?,
                "signed attribute type",
            )?;
            let set = want(p.get(1), 0x31, "signed attribute values")?;
            let values = set.children()?.iter().map(|v| v.raw.to_vec()).collect();
            if attributes.iter().any(|(o, _)| *o == oid) {
                return Err(err(format!("signed attribute {oid} appears twice")));
            }
            attributes.push((oid, values));
        }
        it.next();
    }
    let signature_algorithm = alg_id(
        it.next()
            .ok_or_else(|| err("SignerInfo signatureAlgorithm missing"))?,
        "SignerInfo signatureAlgorithm",
    )?;
    let signature = want(it.next(), 0x04, "SignerInfo signature")?
        .value
        .to_vec();
    match it.next() {
        None => {}
        Some(u) if u.tag == 0xA1 && it.next().is_none() => {}
        Some(_) => return Err(err("SignerInfo: extra fields")),
    }
    Ok(SignerInfo {
        version,
        issuer_and_serial,
        subject_key_id,
        digest_algorithm,
        signed_attrs,
        attributes,
        signature_algorithm,
        signature,
    })
}

/// Parses EF.SOD (`77 { ContentInfo }`); a bare ContentInfo is accepted too.
pub fn parse(bytes: &[u8]) -> Result<Sod, ChipError> {
    let outer = tlv::parse_exact(bytes)?;
    let ci = match outer.tag {
        0x77 => tlv::expect(outer.value, 0x30, "ContentInfo")?,
        0x30 => outer,
        other => return Err(err(format!("expected tag 77, found {other:X}"))),
    };
    let c = ci.children()?;
    let ct = oid_of(
        c.first().ok_or_else(|| err("ContentInfo empty"))?,
        "contentType",
    )?;
    if ct != OID_SIGNED_DATA {
        return Err(err(format!("contentType {ct} is not signedData")));
    }
    let wrapper = want(c.get(1), 0xA0, "ContentInfo content")?;
    if c.len() != 2 {
        return Err(err("ContentInfo: extra fields"));
    }
    let sd = tlv::expect(wrapper.value, 0x30, "SignedData")?;
    let f = sd.children()?;
    let mut it = f.iter().peekable();
    let version = uint(it.next(), "SignedData version")?;
    let algs = want(it.next(), 0x31, "digestAlgorithms")?;
    let digest_algorithms = algs
        .children()?
        .iter()
        .map(|a| alg_id(a, "digestAlgorithms"))
        .collect::<Result<Vec<_>, _>>()?;
    let encap = want(it.next(), 0x30, "encapContentInfo")?;
    let e = encap.children()?;
    let econtent_type = oid_of(
        e.first().ok_or_else(|| err("eContentType missing"))?,
        "eContentType",
    )?;
    let explicit = want(e.get(1), 0xA0, "eContent")?;
    let octets = tlv::expect(explicit.value, 0x04, "eContent OCTET STRING")?;
    if e.len() != 2 {
        return Err(err("encapContentInfo: extra fields"));
    }
    let econtent = octets.value.to_vec();
    let lds = parse_lds(&econtent)?;
    let mut certificates = Vec::new();
    if let Some(certs) = it.peek().filter(|t| t.tag == 0xA0) {
        for cert in certs.children()? {
            if cert.tag == 0x30 {
                certificates.push(cert.raw.to_vec());
            }
        }
        it.next();
    }
    if it.peek().is_some_and(|t| t.tag == 0xA1) {
        it.next(); // CRLs: not used.
    }
    let infos = want(it.next(), 0x31, "signerInfos")?;
    if it.next().is_some() {
        return Err(err("SignedData: extra fields"));
    }
    let infos = infos.children()?;
    let signer = parse_signer(infos.first().ok_or_else(|| err("no SignerInfo"))?)?;
    Ok(Sod {
        version,
        digest_algorithms,
        econtent_type,
        econtent,
        lds,
        certificates,
        signer,
    })
}

fn oid_tlv(oid: &Oid) -> Vec<u8> {
    tlv::encode(0x06, oid.as_bytes())
}

fn alg(oid: &Oid) -> Vec<u8> {
    // SHA-2 and ECDSA identifiers: parameters absent (RFC 5754, RFC 5758).
    tlv::encode(0x30, &oid_tlv(oid))
}

fn attribute(oid: &Oid, value: &[u8]) -> Vec<u8> {
    tlv::encode_parts(0x30, &[&oid_tlv(oid), &tlv::encode(0x31, value)])
}

/// Writes EF.SOD over the given (data group number, file bytes), hashed
/// with SHA-256 and signed by `signer` (ECDSA P-256, SHA-256).
pub fn write(groups: &[(u32, &[u8])], signer: &DocumentSigner) -> Result<Vec<u8>, ChipError> {
    use p256::ecdsa::signature::Signer;
    let h = HashAlg::Sha256;
    let hashes: Vec<u8> = groups
        .iter()
        .flat_map(|(n, b)| {
            tlv::encode_parts(
                0x30,
                &[
                    &tlv::der_uint(u64::from(*n)),
                    &tlv::encode(0x04, &h.digest(b)),
                ],
            )
        })
        .collect();
    let lds = tlv::encode_parts(
        0x30,
        &[
            &tlv::der_uint(0),
            &alg(&h.oid()),
            &tlv::encode(0x30, &hashes),
        ],
    );
    let encap = tlv::encode_parts(
        0x30,
        &[
            &oid_tlv(&OID_LDS_SECURITY_OBJECT),
            &tlv::encode(0xA0, &tlv::encode(0x04, &lds)),
        ],
    );
    let attrs = vec![
        attribute(&OID_CONTENT_TYPE, &oid_tlv(&OID_LDS_SECURITY_OBJECT)),
        attribute(&OID_MESSAGE_DIGEST, &tlv::encode(0x04, &h.digest(&lds))),
    ];
    let set = tlv::der_set_of(attrs);
    let sig: p256::ecdsa::Signature = signer
        .key
        .try_sign(&set)
        .map_err(|e| ChipError::Pki(format!("signing EF.SOD: {e}")))?;
    let sig = sig.to_der();
    let tbs = signer.cert.tbs_certificate();
    let der = |r: der::Result<Vec<u8>>| r.map_err(|e| ChipError::Pki(format!("certificate: {e}")));
    let issuer = der(tbs.issuer().to_der())?;
    let serial = der(tbs.serial_number().to_der())?;
    let cert = signer.cert_der()?;
    let set_content = tlv::parse_exact(&set)?.value.to_vec();
    let signer_info = tlv::encode_parts(
        0x30,
        &[
            &tlv::der_uint(1),
            &tlv::encode_parts(0x30, &[&issuer, &serial]),
            &alg(&h.oid()),
            &tlv::encode(0xA0, &set_content),
            &alg(&OID_ECDSA_SHA256),
            &tlv::encode(0x04, sig.as_bytes()),
        ],
    );
    let signed_data = tlv::encode_parts(
        0x30,
        &[
            &tlv::der_uint(3),
            &tlv::encode(0x31, &alg(&h.oid())),
            &encap,
            &tlv::encode(0xA0, &cert),
            &tlv::encode(0x31, &signer_info),
        ],
    );
    let content_info = tlv::encode_parts(
        0x30,
        &[&oid_tlv(&OID_SIGNED_DATA), &tlv::encode(0xA0, &signed_data)],
    );
    Ok(tlv::encode(0x77, &content_info))
}
