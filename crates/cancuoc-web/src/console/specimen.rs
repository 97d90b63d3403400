//! The specimen of a dossier's card (mẫu thẻ, `/can-bo/ho-so/{code}/the-mau`):
//! the front and the back as the card was personalised, drawn by
//! `cancuoc_render::card` (inline SVG, each with the indelible "MẪU /
//! SPECIMEN" mark), and the same as PNG (`?format=png`, both sides stacked)
//! or PDF (`?format=pdf`, one ID-1 page per side) to download.
//!
//! The card comes from the service (`Service::dossier_card_specimen`: the officer
//! must be allowed to read the dossier, the read of the applicant is
//! audited), so the specimen is the card the register holds, never a second
//! mapping made here. A dossier that has not reached "printed" has no card:
//! the page says so (409). The portrait is a neutral silhouette (the
//! capture keeps a checklist, not the photograph). The downloads are named
//! by the dossier code (`the-mau-{code}.png`), never by the personal ID.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cancuoc_core::card::{Card, CardModel};
use cancuoc_core::dossier::code::DossierCode;
use cancuoc_core::dossier::workflow::State as DState;
use cancuoc_render::card::Side;
use serde::Deserialize;

use super::dossier::code_or_400;
use super::print::{attachment, pdf_download};
use super::session::Session;
use crate::Web;
use crate::error::PageError;
use crate::ui::Ui;

/// `GET /can-bo/ho-so/{code}/the-mau`.
#[derive(Template, WebTemplate)]
#[template(path = "console/specimen.html")]
pub(crate) struct SpecimenPage {
    ui: Ui,
    session: Session,
    code: DossierCode,
    grouped: String,
    /// `2021` or `2024`.
    model: &'static str,
    /// The model's name in words.
    model_name: (&'static str, &'static str),
    /// The front, inline SVG.
    front: String,
    /// The back, inline SVG.
    back: String,
}

/// `?format=png|pdf`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FormatQuery {
    format: Option<String>,
}

/// The model's name, Vietnamese and English.
fn model_name(model: CardModel) -> (&'static str, &'static str) {
    match model {
        CardModel::Cccd2021 => (
            "Thẻ Căn cước công dân (mẫu 2021, Thông tư 06/2021/TT-BCA)",
            "Citizen identity card (2021 model, Circular 06/2021/TT-BCA)",
        ),
        CardModel::CanCuoc2024 => (
            "Thẻ Căn cước (mẫu 2024, Thông tư 16/2024/TT-BCA)",
            "Identity card (2024 model, Circular 16/2024/TT-BCA)",
        ),
    }
}

/// One side as an SVG to put inline: its specimen group's id made unique
/// in the page (both sides carry `id="specimen"` as documents).
fn inline_side(
    card: &Card,
    model: CardModel,
    side: Side,
) -> Result<String, cancuoc_render::RenderError> {
    let svg = cancuoc_render::card::render_svg(card, model, side, None)?;
    Ok(svg.replacen(
        r#"id="specimen""#,
        &format!(r#"id="specimen-{}""#, side.as_str()),
        1,
    ))
}

fn render_failed(ui: &Ui, code: DossierCode, e: impl std::fmt::Display) -> Response {
    PageError::server(
        ui,
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("specimen of the card of dossier {code}: {e}"),
    )
    .into_response()
}

/// The page, or a download with `?format=`.
async fn page(
    State(app): State<Web>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<FormatQuery>,
) -> Response {
    let ui = session.ui.clone();
    let code = match code_or_400(&ui, &code) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let format = q.format.as_deref().unwrap_or("");
    if !matches!(format, "" | "html" | "png" | "pdf") {
        return PageError::new(
            &ui,
            StatusCode::BAD_REQUEST,
            format!("Định dạng “{format}” không có: chỉ có png hoặc pdf."),
            format!("There is no format “{format}”: only png or pdf."),
        )
        .into_response();
    }
    // The dossier first (its scope checked): a card exists from "printed"
    // on, and an earlier dossier gets a page that says so.
    let dossier = match app.service().dossier(&session.officer, code).await {
        Ok(d) => d,
        Err(e) => return PageError::service(&ui, e).into_response(),
    };
    if !dossier.events.iter().any(|e| e.to == DState::Printed) {
        return PageError::new(
            &ui,
            StatusCode::CONFLICT,
            format!(
                "Thẻ của hồ sơ {} chưa được in (hồ sơ đang ở bước “{}”): mẫu thẻ chỉ có từ bước “Đã in thẻ”.",
                code.grouped(),
                dossier.state.label_vi()
            ),
            format!(
                "The card of dossier {} is not printed yet (the dossier is at “{}”): the specimen exists from “Card printed” on.",
                code.grouped(),
                dossier.state.label_en()
            ),
        )
        .into_response();
    }
    let (card, model) = match app
        .service()
        .dossier_card_specimen(&session.officer, code)
        .await
    {
        Ok(c) => c,
        Err(e) => return PageError::service(&ui, e).into_response(),
    };
    match format {
        "png" => {
            let drawn = tokio::task::spawn_blocking(move || {
                cancuoc_render::card::render_png_sides(
                    &card,
                    model,
                    &[Side::Front, Side::Back],
                    None,
                    cancuoc_render::card::DEFAULT_SCALE,
                )
            })
            .await;
            match drawn {
                Ok(Ok(png)) => attachment("image/png", &format!("the-mau-{code}.png"), png),
                Ok(Err(e)) => render_failed(&ui, code, e),
                Err(e) => render_failed(&ui, code, e),
            }
        }
        "pdf" => {
            pdf_download(&ui, format!("the-mau-{code}.pdf"), move || {
                cancuoc_render::card::render_pdf(&card, model, &[Side::Front, Side::Back], None)
            })
            .await
        }
        _ => {
            let sides = (
                inline_side(&card, model, Side::Front),
                inline_side(&card, model, Side::Back),
            );
            let (front, back) = match sides {
                (Ok(f), Ok(b)) => (f, b),
                (Err(e), _) | (_, Err(e)) => return render_failed(&ui, code, e),
            };
            SpecimenPage {
                ui,
                session,
                code,
                grouped: code.grouped(),
                model: model.as_str(),
                model_name: model_name(model),
                front,
                back,
            }
            .into_response()
        }
    }
}

/// The specimen route.
pub(crate) fn router() -> Router<Web> {
    Router::new().route("/can-bo/ho-so/{code}/the-mau", get(page))
}
