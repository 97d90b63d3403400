//! Dossiers (hồ sơ cấp, đổi, cấp lại thẻ Căn cước): the pure pieces of the
//! issuance workflow that the store and server stand on.
//!
//! - [`code`]: dossier codes (mã hồ sơ) printed on the appointment slip,
//!   16 digits with a Damm check digit.
//! - [`workflow`]: the state machine — states, roles, office scopes, the
//!   static transition table, the transition check and the replayable event
//!   log.
//! - [`capture`]: the information capture record — fingerprints in legal
//!   order, portrait checklist, identifying features.
//! - [`guidance`]: what a citizen is told in each state — what happened,
//!   which date matters, what to do next.
//!
//! Nothing here reads a clock or draws random numbers: timestamps and the
//! random part of a code are arguments.

pub mod capture;
pub mod code;
pub mod guidance;
pub mod workflow;

pub use capture::{CaptureError, CaptureRecord, CaptureSlot, MissingReason, SlotOutcome};
pub use code::{DossierCode, DossierCodeError};
pub use workflow::{ActorScope, Role, Scope, State, WorkflowError};
