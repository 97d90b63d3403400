//! The cases, each an `async fn(Store)` run on every database.

mod officer;
mod public;
mod workflow;

pub use officer::*;
pub use public::*;
pub use workflow::*;
