//! The records the use cases take and return (dữ liệu nghiệp vụ): the
//! store's plain data types, re-exported so that front ends name them
//! through the service and never depend on the store crate. Nothing here
//! opens a connection; [`crate::Service`] is the only way to the data.

pub use cancuoc_store::{
    Account, AccountActor, AccountEvent, AccountLock, AccountSessionInfo, LevelGrant,
    LiveAccountSession, SessionKind,
};
pub use cancuoc_store::{
    AuditEntry, Booking, BookingState, Card, CardDelivery, CardId, CardState, ChargedFee, Citizen,
    CitizenId, CitizenScope, Counts, Declaration, Dossier, DossierId, DossierStatus, EventKind,
    EventRecord, FieldProvenance, FinishedGroup, IssuedOfficer, NewCitizen, NewOffice, NewOfficer,
    Office, OfficeLevel, OfficeScope, OfficeStats, Officer, OfficerId, OpenTimeliness,
    OpeningHours, Page, Period, Provenance, QueueCursor, QueueEntry, ReadPurpose, SessionLimits,
    StageDeadline, Structure, TimeRange, Token, TransitionOutcome, Verification, mask_name,
};
pub use cancuoc_store::{
    ChannelCountRow, ChannelCounts, ChatLine, ConversationRecord, OutboxId, OutboxItem,
};
pub use cancuoc_store::{
    Confirmation, ConfirmationChannel, ConfirmationEvent, ConfirmationState, ConfirmationStatus,
    OldNumber, Verdict,
};
