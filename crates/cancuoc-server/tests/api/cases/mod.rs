//! The cases, each an `async fn(Store)` run on every database.

mod officer;
mod public;
mod web_home;
mod workflow;

pub use officer::*;
pub use public::*;
pub use web_home::*;
pub use workflow::*;
