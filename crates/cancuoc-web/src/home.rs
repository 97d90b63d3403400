//! The portal's home page (trang chủ): the tasks a citizen comes for and the
//! way into the officers' console.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::routing::get;

use super::ui::Ui;
use crate::Web;

/// `GET /`.
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct Home {
    ui: Ui,
}

async fn home(ui: Ui) -> Home {
    Home { ui }
}

/// The home route.
pub(crate) fn router() -> Router<Web> {
    Router::new().route("/", get(home))
}
