//! The REST API's own wire types (định dạng truyền): every body of
//! `/api/v1` that carries a record of the store or an answer of the core is
//! written and read through a type here, with its full OpenAPI schema, so
//! the store and the core can change their structs without changing the
//! API, and the spec lists every field a client reads.
//!
//! A response type converts `From<&StoreOrCoreType>`; a request body that
//! becomes a core value converts with `TryFrom` through the core's checked
//! constructors (the capture record). The JSON is the one the API wrote
//! when it serialized the store's structs directly: the tests of each
//! module pin it.
//!
//! | Module | Types |
//! |---|---|
//! | [`codes`] | the closed sets as string enums: state, role, kind, reason, exemption, channel, stage … |
//! | [`formats`] | the text formats read from paths, queries, headers and bodies, each with its pattern |
//! | [`citizens`] | [`CitizenView`], [`FieldProvenanceView`] |
//! | [`dossiers`] | [`DossierView`] with its events, deadlines and fee; [`DeadlineWatchView`] |
//! | [`capture`] | [`CaptureRecordView`], read and written |
//! | [`cards`] | [`CardStatusView`] with its [`cards::CardStatusCode`], [`LostCardBody`] |
//! | [`offices`] | [`OfficeView`] |
//! | [`rules`] | [`FeeAnswer`], [`DeadlinesAnswer`], [`ExpiryAnswer`], [`EligibilityAnswer`] |

pub mod capture;
pub mod cards;
pub mod citizens;
pub mod codes;
pub mod dossiers;
pub mod formats;
pub mod offices;
pub mod rules;

pub use capture::CaptureRecordView;
pub use cards::{CardStatusView, LostCardBody};
pub use citizens::{CitizenView, FieldProvenanceView};
pub use codes::{
    ChannelCode, ExemptionCode, KindCode, OldDocumentCode, ReasonCode, ReceiverCode, StateCode,
};
pub use dossiers::{DeadlineWatchView, DossierView};
pub use formats::{
    CmndText, DossierCodeText, FullNameText, IdempotencyKeyHeader, IdempotencyKeyText,
    PartialDateText, PersonalIdText, PhoneText, PlaceText, SexText,
};
pub use offices::OfficeView;
pub use rules::{DeadlinesAnswer, EligibilityAnswer, ExpiryAnswer, FeeAnswer};
