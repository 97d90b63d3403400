//! The records the store keeps (mô hình dữ liệu) and the inputs and outputs
//! of its use cases. Plain data: the SQL lives in the operations modules.

pub mod account;
pub mod audit;
pub mod booking;
pub mod captcha;
pub mod card;
pub mod channel;
pub mod citizen;
pub mod citizen_access;
pub mod confirmation;
pub mod dossier;
pub mod office;
pub mod officer;
pub mod queues;
pub mod session;
