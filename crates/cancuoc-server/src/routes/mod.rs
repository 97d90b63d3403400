//! The HTTP surface (giao diện REST): every route, collected with its
//! OpenAPI description through `utoipa-axum`, the spec at
//! `/api/openapi.json` and the offline Swagger UI at `/api/docs`.
//!
//! | Route | Who |
//! |---|---|
//! | `GET /healthz`, `GET /readyz` | anyone (probes) |
//! | `GET /metrics` | the networks of `AppConfig::metrics_networks` (loopback by default; [`crate::metrics`]) |
//! | `GET /api/v1/status/{code}` | anyone (hot path) |
//! | `GET /api/v1/offices`, `GET /api/v1/rules/{fee,deadline,expiry,eligibility}` | anyone |
//! | `GET /api/v1/cards/{number}/status[?issued=]` | anyone: relying parties ([`cards`]) |
//! | `POST /api/v1/cards/{number}/lost` | officers: reception of an office receiving the public, administrators |
//! | `POST /api/v1/me/card/lost` | the account's owner |
//! | `GET/POST /api/v1/citizens`, `GET /api/v1/citizens/{personal_id}` | officers |
//! | `GET/POST /api/v1/dossiers`, `GET /api/v1/dossiers/{code}` | officers, office scope |
//! | `POST /api/v1/dossiers/{code}/transitions` | officers, workflow role and scope |
//! | `GET/PUT /api/v1/dossiers/{code}/capture` | officers (PUT: reception of the office) |
//! | `GET /api/v1/offices/{code}/overdue` | officers, office scope |
//! | `GET /api/v1/offices/{code}/bookings?date=` | officers, office scope |
//! | `GET /api/v1/captcha`, `POST /api/v1/accounts{,/verify,/lock,/unlock,/unlock/verify}`, `POST /api/v1/auth/{login,otp,resend,forgot,forgot/verify,forgot/reset}` | anyone: citizens' identity accounts ([`accounts`]) |
//! | `POST /api/v1/auth/logout`, `GET /api/v1/me{,/wallet,/history,/sessions}`, `DELETE /api/v1/me/sessions{,/{handle}}`, `POST /api/v1/me/password` | the account's owner, bearer token from `POST /api/v1/auth/otp` |
//! | `GET /api/v1/citizens/{personal_id}/account`, `POST …/account/{level,lock,unlock}` | officers: reception of an office receiving the public, administrators |
//! | `/channels/ivr/{twilio,stringee/…}`, `/channels/{zalo,messenger}/webhook` | the telephony and chat providers, signed ([`crate::channels`]) |
//! | `/`, `/co-quan`, `/tra-cuu`, `/dat-lich`, `/can-bo/…` (HTML) | `cancuoc-web`, mounted by [`router`] |
//!
//! The JSON bodies are the REST API's own types: those beside each handler,
//! and in [`wire`] the records of the store and the answers of the core as
//! the API writes and reads them, each with its full schema
//! (`tests/openapi.rs` holds every `/api/v1` body to that).
//!
//! The spec lists every status an operation can answer: each handler's
//! `responses(...)` names its own and those of its extractors (400 for a
//! malformed path, query or JSON; 401 without a valid token; 413, 415 and
//! 422 for a JSON body), and [`EdgeResponses`] adds to every operation
//! those of the layers around all routes (414, 500, 503); the public
//! lookups add their 429 with `Retry-After`. Parameters and body members
//! carry the formats and ranges their parsers accept ([`wire::formats`]),
//! and a body that takes exactly one of two members says so
//! ([`ExactlyOne`]). The 2xx answers carry links (register → open →
//! capture → step). `tests/api/cases/spec_conformance.rs` probes every
//! operation against its listing; `scripts/api-fuzz.sh` holds the running
//! server to the spec.

mod account_wire;
mod accounts;
mod bookings;
mod cards;
mod citizens;
mod dossiers;
mod health;
mod metrics;
mod public;
mod wire;

use axum::Router;
use axum::routing::get;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::{OneOfBuilder, Schema};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use crate::app::App;
use crate::error::{ApiError, ProblemBody};
use crate::middleware;

/// Tag of the public routes.
const PUBLIC: &str = "public";
/// Tag of the officer routes.
const OFFICER: &str = "officer";
/// Tag of the probes.
const OPS: &str = "ops";
/// Tag of the citizens' identity accounts.
const ACCOUNT: &str = "account";
/// The problem media type, for the `responses(...)` of every route.
pub(crate) const PROBLEM: &str = "application/problem+json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "cancuoc API",
        description = "Issuance service of the Vietnamese citizen identity card (thẻ Căn cước): public dossier status, offices and legal rules; officer routes for citizens, dossiers and the issuance workflow. Errors are RFC 9457 problem documents with Vietnamese and English messages and the request id, with one exception: a request hyper cannot parse into a request (a URI over 65 534 bytes: 414; a request head over about 400 KiB: 431; a malformed request line or header: 400) is refused by the HTTP library itself, before any part of the service sees it, with an empty body.",
        license(name = "MIT OR Apache-2.0")
    ),
    modifiers(&BearerAuth),
    components(schemas(
        ProblemBody,
        wire::DossierCodeText,
        wire::PersonalIdText,
        wire::PartialDateText,
        wire::CmndText,
        wire::IdempotencyKeyText,
        wire::SexText,
        wire::FullNameText,
        wire::PlaceText,
        wire::PhoneText
    )),
    tags(
        (name = PUBLIC, description = "Public: dossier status (tra cứu hồ sơ), offices, rules"),
        (name = OFFICER, description = "Officers (cán bộ), bearer token"),
        (name = ACCOUNT, description = "Citizens' electronic identity accounts (tài khoản định danh điện tử): register, log in with an SMS code, the owner's data, wallet, history and sessions, forgotten password, lock and unlock; the owner's routes take the account's bearer token"),
        (name = OPS, description = "Health and readiness probes, and the operators' metrics")
    )
)]
struct ApiDoc;

/// Declares the `bearer` security scheme the officer routes use.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Officer token from `cancuoc officer add` (mã truy cập của cán bộ)",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "account",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A citizen's account token from `POST /api/v1/auth/otp` (mã truy cập tài khoản định danh); not an officer's token",
                    ))
                    .build(),
            ),
        );
    }
}

/// The statuses every operation can answer besides its own, from the
/// layers around all routes: 414 (a URI over the edge's limit), 500 (a
/// panic caught, an internal error) and 503 (the handler timeout, the
/// database unavailable), and 408 for an operation with a body (the body
/// did not arrive within `serve`'s body timeout). Added to each operation that does not describe
/// them itself; it runs on the whole spec, after the routes are collected
/// ([`openapi`]), not as a modifier of [`ApiDoc`], which runs before.
struct EdgeResponses;

impl EdgeResponses {
    const STATUSES: [(&'static str, &'static str); 3] = [
        (
            "414",
            "The path and query are longer than 8 KiB (`request.uri_too_long`)",
        ),
        (
            "500",
            "Internal error; the problem names only the request id (`server.internal`)",
        ),
        (
            "503",
            "The handler took too long, or the database does not answer; try again (`server.unavailable`)",
        ),
    ];

    /// The 408 of an operation with a request body.
    const BODY_TIMEOUT: &'static str =
        "The request body did not arrive in time; the connection is closed (`server.timeout`)";
}

/// Every operation of a path item.
fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

impl Modify for EdgeResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in operations_mut(item) {
                for (status, description) in Self::STATUSES {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| problem_response(description));
                }
                // `serve` cuts a body that does not arrive in time
                // (`AppConfig::body_timeout`).
                if op.request_body.is_some() {
                    op.responses
                        .responses
                        .entry("408".to_owned())
                        .or_insert_with(|| problem_response(Self::BODY_TIMEOUT));
                }
            }
        }
    }
}

/// A problem+json response with `description`.
fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemBody")))
                .build(),
        )
        .build()
        .into()
}

/// Request bodies that name a thing in exactly one of two members (the
/// citizen of a dossier by record id or by personal ID; the second factor
/// of a status lookup by date of birth or by ID digits): either member
/// alone is read, neither or both is a 400. The derived schema of such a
/// body says each member is optional; this says "exactly one" as a
/// `oneOf` of the body requiring the one member and the body requiring
/// the other (a body with both matches both branches, so neither).
struct ExactlyOne {
    /// The schema's name and its two members.
    bodies: [(&'static str, [&'static str; 2]); 2],
}

impl ExactlyOne {
    const BODIES: Self = Self {
        bodies: [
            ("OpenDossierBody", ["citizen_id", "personal_id"]),
            ("HolderProof", ["date_of_birth", "id_last_digits"]),
        ],
    };
}

impl Modify for ExactlyOne {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (name, members) in self.bodies {
            let Some(RefOr::T(Schema::Object(body))) = components.schemas.remove(name) else {
                continue;
            };
            let description = body.description.clone();
            let mut one_of = OneOfBuilder::new().description(description);
            for member in members {
                let mut branch = body.clone();
                branch.description = None;
                branch.required.push(member.to_owned());
                branch.title = Some(format!("With `{member}`"));
                one_of = one_of.item(Schema::Object(branch));
            }
            components
                .schemas
                .insert(name.to_owned(), RefOr::T(Schema::OneOf(one_of.build())));
        }
    }
}

/// Every documented route, with its spec.
fn api() -> OpenApiRouter<App> {
    timed_api().merge(status_api())
}

/// The public status lookup, the one route without the handler timeout:
/// on an SQLite file its read runs inline on the worker thread, where a
/// timer could not interrupt it anyway, and registering a timer per
/// request cost the lookup about a fifth of its CPU (tokio wakes its
/// driver for it: a futex and an eventfd write per request, seen with
/// `strace -c`). On PostgreSQL the pool's acquire timeout bounds the wait.
fn status_api() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(public::status))
}

/// Every documented route but [`status_api`]'s.
fn timed_api() -> OpenApiRouter<App> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(metrics::metrics))
        .routes(routes!(public::holder))
        .routes(routes!(public::offices))
        .routes(routes!(public::fee))
        .routes(routes!(public::deadline))
        .routes(routes!(public::expiry))
        .routes(routes!(public::eligibility))
        .routes(routes!(citizens::search, citizens::register))
        .routes(routes!(citizens::get_citizen))
        .routes(routes!(dossiers::list, dossiers::open))
        .routes(routes!(dossiers::get_dossier))
        .routes(routes!(dossiers::transition))
        .routes(routes!(dossiers::get_capture, dossiers::put_capture))
        .routes(routes!(dossiers::overdue))
        .routes(routes!(bookings::office_bookings))
        .routes(routes!(accounts::captcha))
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::verify))
        .routes(routes!(accounts::lock))
        .routes(routes!(accounts::unlock))
        .routes(routes!(accounts::unlock_verify))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::login_code))
        .routes(routes!(accounts::resend))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::forgot))
        .routes(routes!(accounts::forgot_verify))
        .routes(routes!(accounts::forgot_reset))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::wallet))
        .routes(routes!(accounts::history))
        .routes(routes!(accounts::sessions, accounts::revoke_all))
        .routes(routes!(accounts::revoke_one))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::officer_view))
        .routes(routes!(accounts::officer_level))
        .routes(routes!(accounts::officer_lock))
        .routes(routes!(accounts::officer_unlock))
        .routes(routes!(cards::card_status))
        .routes(routes!(cards::report_lost))
        .routes(routes!(cards::report_own_lost))
}

/// The OpenAPI document of the whole API (also served at
/// `/api/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut spec = api().into_openapi();
    ExactlyOne::BODIES.modify(&mut spec);
    EdgeResponses.modify(&mut spec);
    spec
}

/// Unknown paths: a problem document under `/api`, an HTML page elsewhere.
async fn no_route(req: axum::extract::Request) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = req.uri().path();
    if path.starts_with("/api/") || path == "/api" {
        ApiError::RouteNotFound.into_response()
    } else {
        cancuoc_web::not_found(&req.into_parts().0)
    }
}

async fn test_sleep() -> &'static str {
    // A test hook for the handler timeout (a handler slower than any
    // configured test timeout); only routed with `AppConfig::test_hooks`.
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    "slept"
}

async fn test_panic() -> &'static str {
    // A test hook for the edge layer's panic catcher; only routed with
    // `AppConfig::test_hooks`.
    #[allow(clippy::panic)]
    {
        panic!("test hook: deliberate panic")
    }
}

/// The whole HTTP surface of the service, with its middleware stack: the
/// REST routes and, beside them, the web pages of `cancuoc-web` over the
/// same service.
pub fn router(app: App) -> Router {
    let config = app.config().clone();
    let metrics = app.metrics().cloned();
    let spec = openapi();
    let pages = cancuoc_web::Web::new(
        app.shared_service(),
        cancuoc_web::WebConfig {
            test_hooks: config.test_hooks,
            behind_tls: config.behind_tls,
            public_url: config.public_url.clone(),
            seal: config.seal.clone(),
        },
    );
    let (api, _) = timed_api().split_for_parts();
    let mut api = api.merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", spec));
    if config.test_hooks {
        api = api.route("/api/v1/__test/panic", get(test_panic));
        api = api.route("/api/v1/__test/sleep", get(test_sleep));
    }
    // The API's captcha is made as the portal's is, by the pages' state
    // (which keeps the answers behind the test hook).
    let api = api.layer(axum::Extension(pages.clone()));
    let web = cancuoc_web::router(pages);
    let (status, _) = status_api().split_for_parts();
    let router = api
        .with_state(app.clone())
        .merge(crate::channels::router(app.clone()))
        .merge(web)
        .fallback(no_route)
        .layer(middleware::timeout(config.request_timeout))
        .layer(middleware::body_limit(config.body_limit))
        .merge(status.with_state(app));
    crate::client_ip::layer(
        middleware::stack(router, &config, metrics),
        &config.trusted_proxies,
    )
}
