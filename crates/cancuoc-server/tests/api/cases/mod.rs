//! The cases, each an `async fn(Store)` run on every database.

mod officer;
mod public;
mod status_cache;
mod web_booking;
mod web_booking_console;
mod web_booking_declaration;
mod web_booking_reception;
mod web_citizen_pages;
mod web_citizen_status;
mod web_console;
mod web_console_desk;
mod web_home;
mod web_queues;
mod web_queues_dashboard;
mod web_queues_world;
mod workflow;

pub use officer::*;
pub use public::*;
pub use status_cache::*;
pub use web_booking::*;
pub use web_booking_console::*;
pub use web_booking_declaration::*;
pub use web_booking_reception::*;
pub use web_citizen_pages::*;
pub use web_citizen_status::*;
pub use web_console::*;
pub use web_console_desk::*;
pub use web_home::*;
pub use web_queues::*;
pub use web_queues_dashboard::*;
pub use workflow::*;
