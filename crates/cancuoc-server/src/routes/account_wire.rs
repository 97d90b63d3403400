//! The identity accounts on the wire (tài khoản định danh điện tử): the
//! bodies of `/api/v1/captcha`, `/api/v1/accounts*`, `/api/v1/auth/*`,
//! `/api/v1/me*` and the officers' `/api/v1/citizens/{personal_id}/account*`,
//! each with its full schema. Requests refuse unknown members (422, as
//! every body of the API); dates are read as people type them
//! (`PartialDate::parse_typed`: `1990-05-17`, `17/05/1990` …) and written
//! `YYYY-MM-DD`; instants are RFC 3339 in UTC. Secrets (passwords, codes,
//! tokens) never appear in a `Debug` output.

use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_service::ChallengeTicket;
use cancuoc_service::eid::{IdentityField, IdentityView, WalletCard, WalletStatus};
use cancuoc_service::model::{
    Account, AccountActor, AccountEvent, AccountSessionInfo, SessionKind,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An instant of the store (epoch seconds) as RFC 3339 in UTC
/// (`2026-11-21T03:00:00Z`).
pub fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// A date as the service shows it (`17/05/1990`, `05/1990`, `1990`) in
/// the API's form (`1990-05-17`, `1990-05`, `1990`); anything else as it
/// is.
pub fn iso_date(shown: &str) -> String {
    PartialDate::parse_typed(shown).map_or_else(|_| shown.to_owned(), |d| d.to_string())
}

macro_rules! redacted_debug {
    ($($t:ty),* $(,)?) => {
        $(
            impl std::fmt::Debug for $t {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(concat!(stringify!($t), "(<redacted>)"))
                }
            }
        )*
    };
}

redacted_debug!(
    RegisterBody,
    CodeBody,
    LoginBody,
    ResendBody,
    PasswordBody,
    ForgotBody,
    ForgotVerifyBody,
    ResetBody,
    LockBody,
    TokenView,
);

/// A security code to solve before a registration, a login or an unlock
/// (mã xác nhận): spent by the form that carries it, right or wrong.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaptchaView {
    /// The challenge's id, sent back as `captcha_id`.
    pub id: String,
    /// The distorted characters, `data:image/png;base64,…`.
    #[schema(example = "data:image/png;base64,iVBORw0KGgo=")]
    pub image: String,
}

/// A registration (đăng ký tài khoản mức độ 1): the number, the phone on
/// the population record, the name, the date of birth and the issue date
/// of the card on record, the chosen password and the solved captcha.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// Số định danh cá nhân, 12 digits (spaces allowed).
    #[schema(example = "079090001234", max_length = 64)]
    pub personal_id: String,
    /// The mobile number on the population record (`0912345678`,
    /// `+84 912 345 678` …).
    #[schema(example = "0912345678", max_length = 64)]
    pub phone: String,
    /// Họ, chữ đệm và tên, as on the card (diacritics and case ignored).
    #[schema(example = "Nguyễn Văn An", max_length = 200)]
    pub full_name: String,
    /// Ngày sinh: `YYYY-MM-DD` (or `dd/mm/yyyy` as typed).
    #[schema(example = "1990-05-17", max_length = 64)]
    pub date_of_birth: String,
    /// Ngày cấp of the card on record: `YYYY-MM-DD`.
    #[schema(example = "2024-08-01", max_length = 64)]
    pub card_issue_date: String,
    /// The new password: 8–20 characters with a digit, an upper-case and a
    /// lower-case letter and one of `!@#$^*()_`; nothing else but ASCII
    /// letters and digits; not common, not the number, the birth date or
    /// the phone (every rule it fails is listed in the problem's `errors`).
    #[schema(max_length = 200)]
    pub password: String,
    /// The id of the captcha shown (`GET /api/v1/captcha`).
    #[schema(max_length = 200)]
    pub captcha_id: String,
    /// Its characters.
    #[schema(max_length = 200)]
    pub captcha_answer: String,
}

/// A 6-digit code sent by SMS, for its challenge.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    /// The challenge the code was sent for.
    #[schema(max_length = 200)]
    pub challenge_id: String,
    /// Mã xác thực: 6 digits.
    #[schema(example = "173825", max_length = 64)]
    pub otp: String,
}

/// A login (đăng nhập): number, password and the solved captcha; an
/// unlock by the owner asks the same.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Số định danh cá nhân.
    #[schema(example = "079090001234", max_length = 64)]
    pub personal_id: String,
    /// Mật khẩu.
    #[schema(max_length = 200)]
    pub password: String,
    /// The id of the captcha shown.
    #[schema(max_length = 200)]
    pub captcha_id: String,
    /// Its characters.
    #[schema(max_length = 200)]
    pub captcha_answer: String,
}

/// A new code for an open challenge (gửi lại mã).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResendBody {
    /// The challenge.
    #[schema(max_length = 200)]
    pub challenge_id: String,
}

/// A code was sent (or, where nothing may be revealed, seemed to be):
/// the challenge to answer and when.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChallengeView {
    /// The challenge's id (64 hex digits), for `challenge_id`.
    pub challenge_id: String,
    /// Seconds the code stays valid (120).
    #[schema(example = 120)]
    pub expires_in: i64,
    /// Seconds before a new code may be asked for (60).
    #[schema(example = 60)]
    pub resend_in: i64,
    /// The number the code went to, masked (`091****678`).
    #[schema(example = "091****678")]
    pub phone_hint: String,
}

impl From<ChallengeTicket> for ChallengeView {
    fn from(t: ChallengeTicket) -> Self {
        Self {
            challenge_id: t.id,
            expires_in: t.expires_in,
            resend_in: t.resend_in,
            phone_hint: t.phone_hint,
        }
    }
}

/// The account just registered.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LevelView {
    /// Mức độ: 1 (self-registered) or 2 (checked in person).
    #[schema(minimum = 1, maximum = 2, example = 1)]
    pub level: u8,
}

/// A bearer token for the account's routes (`Authorization: Bearer …`),
/// shown once.
#[derive(Clone, Serialize, ToSchema)]
pub struct TokenView {
    /// The token.
    pub token: String,
    /// Its absolute end (12 h after the login), RFC 3339; an idle
    /// quarter of an hour ends it sooner.
    #[schema(format = DateTime, example = "2026-11-21T15:00:00Z")]
    pub expires_at: String,
}

/// A change of password by its owner (đổi mật khẩu).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The password now.
    #[schema(max_length = 200)]
    pub current_password: String,
    /// The new one, under the policy of registration.
    #[schema(max_length = 200)]
    pub new_password: String,
}

/// Step 1 of a forgotten password (quên mật khẩu): number and phone.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotBody {
    /// Số định danh cá nhân.
    #[schema(example = "079090001234", max_length = 64)]
    pub personal_id: String,
    /// The mobile number on the population record.
    #[schema(example = "0912345678", max_length = 64)]
    pub phone: String,
}

/// The challenge of a forgotten password, for its step 2.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ForgotStarted {
    /// The challenge's id.
    pub challenge_id: String,
}

/// Step 2 of a forgotten password: who the owner is.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotVerifyBody {
    /// The challenge of step 1.
    #[schema(max_length = 200)]
    pub challenge_id: String,
    /// Họ, chữ đệm và tên.
    #[schema(example = "Nguyễn Văn An", max_length = 200)]
    pub full_name: String,
    /// Ngày sinh: `YYYY-MM-DD`.
    #[schema(example = "1990-05-17", max_length = 64)]
    pub date_of_birth: String,
    /// Ngày cấp of the card on record: `YYYY-MM-DD`.
    #[schema(example = "2024-08-01", max_length = 64)]
    pub card_issue_date: String,
}

/// Step 2 answered: the code's challenge.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ForgotVerified {
    /// The challenge's id, for step 3.
    pub challenge_id: String,
    /// Seconds the code stays valid.
    #[schema(example = 120)]
    pub expires_in: i64,
    /// Seconds before a new code may be asked for.
    #[schema(example = 60)]
    pub resend_in: i64,
}

/// Step 3 of a forgotten password: the code and the new password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetBody {
    /// The challenge of step 2.
    #[schema(max_length = 200)]
    pub challenge_id: String,
    /// Mã xác thực: 6 digits.
    #[schema(example = "173825", max_length = 64)]
    pub otp: String,
    /// The new password, under the policy of registration.
    #[schema(max_length = 200)]
    pub new_password: String,
}

/// A lock by the owner (khóa tài khoản), e.g. when the phone is lost: no
/// code, since the phone may be what was lost.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LockBody {
    /// Số định danh cá nhân.
    #[schema(example = "079090001234", max_length = 64)]
    pub personal_id: String,
    /// The mobile number on the population record.
    #[schema(example = "0912345678", max_length = 64)]
    pub phone: String,
    /// Ngày sinh: `YYYY-MM-DD`.
    #[schema(example = "1990-05-17", max_length = 64)]
    pub date_of_birth: String,
    /// Ngày cấp of the card on record: `YYYY-MM-DD`.
    #[schema(example = "2024-08-01", max_length = 64)]
    pub card_issue_date: String,
}

/// A request taken (đã tiếp nhận), in both languages. The words of a
/// lock are the same whether anything matched.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DoneView {
    /// What was done, in Vietnamese.
    pub message_vi: String,
    /// What was done, in English.
    pub message_en: String,
}

impl DoneView {
    /// A message from its two texts.
    pub fn new(vi: &str, en: &str) -> Self {
        Self {
            message_vi: vi.to_owned(),
            message_en: en.to_owned(),
        }
    }
}

/// Where a field's value comes from.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IdentityFieldView {
    /// `personal_id`, `full_name`, `date_of_birth`, `sex`, `nationality`,
    /// `ethnicity`, `religion`, `place_of_origin`, `permanent_residence`,
    /// `temporary_residence` or `phone`.
    #[schema(example = "full_name")]
    pub name: String,
    /// The value as recorded (the date of birth `YYYY-MM-DD`, the sex
    /// `Nam`/`Nữ` as printed on the card).
    pub value: String,
    /// Checked against the population database (green) or self-declared
    /// (yellow).
    pub verified: bool,
    /// The source: `npd`, `citizen`, `birth_certificate` …
    #[schema(example = "npd")]
    pub source: String,
}

impl From<&IdentityField> for IdentityFieldView {
    fn from(f: &IdentityField) -> Self {
        Self {
            name: f.name.to_owned(),
            value: if f.name == "date_of_birth" {
                iso_date(&f.value)
            } else {
                f.value.clone()
            },
            verified: f.verified,
            source: f.source.clone(),
        }
    }
}

/// What the owner is to a child.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelationCode {
    /// Cha.
    Father,
    /// Mẹ.
    Mother,
    /// Người giám hộ.
    Guardian,
}

impl RelationCode {
    fn of(s: &str) -> Self {
        match s {
            "father" => Self::Father,
            "mother" => Self::Mother,
            _ => Self::Guardian,
        }
    }
}

/// A child under 14 linked to the owner in the population record.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChildView {
    /// The child's personal ID number, in full (null when none is
    /// assigned yet).
    #[schema(example = "079215001234")]
    pub personal_id: Option<String>,
    /// Họ tên.
    pub full_name: String,
    /// Ngày sinh: `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when only that is
    /// known).
    #[schema(example = "2015-03-01")]
    pub date_of_birth: String,
    /// What the owner is to the child.
    pub relation: RelationCode,
}

/// How level 2 was granted.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LevelMethodCode {
    /// Đối chiếu ảnh chân dung.
    Portrait,
    /// Đối chiếu vân tay.
    Fingerprints,
    /// Cùng thủ tục cấp thẻ.
    CardIssuance,
}

impl From<cancuoc_core::account::LevelMethod> for LevelMethodCode {
    fn from(m: cancuoc_core::account::LevelMethod) -> Self {
        use cancuoc_core::account::LevelMethod as M;
        match m {
            M::Portrait => Self::Portrait,
            M::Fingerprints => Self::Fingerprints,
            M::CardIssuance => Self::CardIssuance,
        }
    }
}

/// The owner's identification data (thông tin định danh).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MeView {
    /// Số định danh cá nhân.
    #[schema(example = "079090001234")]
    pub personal_id: String,
    /// Họ, chữ đệm và tên.
    pub full_name: String,
    /// Ngày sinh: `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).
    #[schema(example = "1990-05-17")]
    pub date_of_birth: String,
    /// `male` or `female`.
    pub sex: super::wire::codes::SexCode,
    /// Mức độ tài khoản: 1 or 2.
    #[schema(minimum = 1, maximum = 2)]
    pub level: u8,
    /// How level 2 was granted; null at level 1.
    pub level_method: Option<LevelMethodCode>,
    /// Every field of the record with its mark and source.
    pub fields: Vec<IdentityFieldView>,
    /// The children under 14 linked to the owner.
    pub children: Vec<ChildView>,
}

impl From<&IdentityView> for MeView {
    fn from(v: &IdentityView) -> Self {
        let value = |name: &str| v.value(name).unwrap_or_default().to_owned();
        let sex = Sex::parse(&value("sex")).unwrap_or(Sex::Male);
        Self {
            personal_id: value("personal_id"),
            full_name: value("full_name"),
            date_of_birth: iso_date(&value("date_of_birth")),
            sex: sex.into(),
            level: v.account.level.as_u8(),
            level_method: v.account.grant.map(|g| g.method.into()),
            fields: v.fields.iter().map(IdentityFieldView::from).collect(),
            children: v
                .children
                .iter()
                .map(|c| ChildView {
                    personal_id: c.personal_id.clone(),
                    full_name: c.full_name.clone(),
                    date_of_birth: iso_date(&c.date_of_birth),
                    relation: RelationCode::of(&c.relation),
                })
                .collect(),
        }
    }
}

/// Which card.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CardKindCode {
    /// Thẻ Căn cước công dân (issued until 30/06/2024).
    Cccd,
    /// Thẻ Căn cước (issued from 01/07/2024).
    Cancuoc,
}

/// A card's standing today.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WalletStatusCode {
    /// Còn giá trị sử dụng.
    Valid,
    /// Phải đổi thẻ.
    MustRenew,
    /// Hết hạn.
    Expired,
}

impl From<WalletStatus> for WalletStatusCode {
    fn from(s: WalletStatus) -> Self {
        match s {
            WalletStatus::Valid => Self::Valid,
            WalletStatus::MustRenew => Self::MustRenew,
            WalletStatus::Expired => Self::Expired,
        }
    }
}

/// A card in the document wallet (ví giấy tờ).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WalletCardView {
    /// The card's number (the personal ID number).
    #[schema(example = "079090001234")]
    pub number: String,
    /// Which card.
    pub kind: CardKindCode,
    /// Ngày cấp.
    #[schema(value_type = String, format = Date)]
    pub issued_on: Date,
    /// Có giá trị đến, from the rules; null for no expiry.
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    /// Its standing today.
    pub status: WalletStatusCode,
    /// The QR payload printed on the card
    /// (`ID12|CMND|name|ddmmyyyy|sex|residence|ddmmyyyy`); null when the
    /// record cannot make one (a date of birth not known in full).
    pub qr_payload: Option<String>,
}

impl From<&WalletCard> for WalletCardView {
    fn from(c: &WalletCard) -> Self {
        Self {
            number: c.number.clone(),
            kind: if c.kind == "cccd" {
                CardKindCode::Cccd
            } else {
                CardKindCode::Cancuoc
            },
            issued_on: c.issued_on,
            expires_on: c.expires_on,
            status: c.status.into(),
            qr_payload: c.qr_payload.clone(),
        }
    }
}

/// The document wallet.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WalletView {
    /// The active card, if the owner holds one.
    pub cards: Vec<WalletCardView>,
}

/// An event of the account, as its owner sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HistoryEventView {
    /// When, RFC 3339.
    #[schema(format = DateTime, example = "2026-11-21T03:00:00Z")]
    pub at: String,
    /// What: `register`, `level_change`, `login`, `login_failed`,
    /// `otp_sent`, `otp_failed`, `password_reset`, `password_changed`,
    /// `lock`, `unlock`, `session_revoked`, `logout` …
    #[schema(example = "login")]
    pub kind: String,
    /// The client address it came from (empty when none).
    pub client: String,
    /// Details (never a code, a password or a full number).
    pub details: String,
}

impl From<&AccountEvent> for HistoryEventView {
    fn from(e: &AccountEvent) -> Self {
        Self {
            at: rfc3339(e.at),
            kind: e.kind.clone(),
            client: e.client.clone(),
            details: e.details.clone(),
        }
    }
}

/// The account's events, newest first.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HistoryView {
    /// The latest 100 events.
    pub events: Vec<HistoryEventView>,
}

/// Where a session was opened.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionKindCode {
    /// The portal (a cookie).
    Web,
    /// The API (a bearer token).
    Api,
}

impl From<SessionKind> for SessionKindCode {
    fn from(k: SessionKind) -> Self {
        match k {
            SessionKind::Web => Self::Web,
            SessionKind::Api => Self::Api,
        }
    }
}

/// A live session or token of the account.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Its public handle, for `DELETE /api/v1/me/sessions/{handle}` (not
    /// the secret).
    pub handle: String,
    /// Portal or API.
    pub kind: SessionKindCode,
    /// When it was opened, RFC 3339.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When it was last used, RFC 3339.
    #[schema(format = DateTime)]
    pub last_seen: String,
    /// The address it was opened from.
    pub client: String,
    /// The browser or app that opened it.
    pub agent: String,
    /// Whether it is the one this request came with.
    pub current: bool,
}

impl SessionView {
    /// The view of `s`; `current` when its handle is `mine`.
    pub fn of(s: &AccountSessionInfo, mine: &str) -> Self {
        Self {
            handle: s.handle.clone(),
            kind: s.kind.into(),
            created_at: rfc3339(s.created_at),
            last_seen: rfc3339(s.last_seen),
            client: s.client.clone(),
            agent: s.agent.clone(),
            current: s.handle == mine,
        }
    }
}

/// The account's live sessions and tokens.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SessionsView {
    /// Every live one, this one included.
    pub sessions: Vec<SessionView>,
}

/// How an officer checked the citizen in person for level 2.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InPersonMethod {
    /// Đối chiếu ảnh chân dung.
    Portrait,
    /// Đối chiếu vân tay.
    Fingerprints,
}

impl From<InPersonMethod> for cancuoc_core::account::LevelMethod {
    fn from(m: InPersonMethod) -> Self {
        match m {
            InPersonMethod::Portrait => Self::Portrait,
            InPersonMethod::Fingerprints => Self::Fingerprints,
        }
    }
}

/// An officer's change of level: `{"level": 2, "method": "portrait"}`
/// after checking the citizen in person, or `{"level": 1, "reason": …}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelBody {
    /// The new level: 2 (needs `method`) or 1 (needs `reason`).
    #[schema(minimum = 1, maximum = 2, example = 2)]
    pub level: u8,
    /// How the citizen was checked (level 2).
    #[schema(nullable = false)]
    pub method: Option<InPersonMethod>,
    /// Why the level is lowered (level 1), at most 500 characters.
    #[schema(nullable = false, max_length = 500)]
    pub reason: Option<String>,
}

/// An officer's lock or unlock, with its reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Lý do, at most 500 characters.
    #[schema(example = "lost phone reported at the desk", max_length = 500)]
    pub reason: String,
}

/// A citizen's account as an officer sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// Mức độ: 1 or 2.
    #[schema(minimum = 1, maximum = 2)]
    pub level: u8,
    /// How level 2 was granted; null at level 1.
    pub level_method: Option<LevelMethodCode>,
    /// The office where level 2 was granted.
    pub level_office: Option<u16>,
    /// The officer who granted it (record id).
    pub level_officer: Option<i64>,
    /// When, RFC 3339.
    #[schema(format = DateTime)]
    pub level_granted_at: Option<String>,
    /// Whether a password is set (an account made with the card has none
    /// until its owner registers).
    pub has_password: bool,
    /// Whether it is locked.
    pub locked: bool,
    /// Who locked it: `owner`, `officer:<id>` or `system`.
    pub locked_by: Option<String>,
    /// Why.
    pub lock_reason: Option<String>,
    /// When, RFC 3339.
    #[schema(format = DateTime)]
    pub locked_at: Option<String>,
    /// When the account was made, RFC 3339.
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        Self {
            level: a.level.as_u8(),
            level_method: a.grant.map(|g| g.method.into()),
            level_office: a.grant.and_then(|g| g.office),
            level_officer: a.grant.and_then(|g| g.officer).map(|o| o.0),
            level_granted_at: a.grant.map(|g| rfc3339(g.at)),
            has_password: a.has_password,
            locked: a.lock.is_some(),
            locked_by: a.lock.as_ref().map(|l| actor(l.by)),
            lock_reason: a.lock.as_ref().map(|l| l.reason.clone()),
            locked_at: a.lock.as_ref().map(|l| rfc3339(l.at)),
            created_at: rfc3339(a.created_at),
        }
    }
}

fn actor(a: AccountActor) -> String {
    a.code()
}

/// An event of a citizen's account, as an officer sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OfficerEventView {
    /// When, RFC 3339.
    #[schema(format = DateTime)]
    pub at: String,
    /// What (see the owner's history).
    pub kind: String,
    /// The officer who acted (record id), if one did.
    pub officer: Option<i64>,
    /// The client address.
    pub client: String,
    /// Details.
    pub details: String,
}

impl From<&AccountEvent> for OfficerEventView {
    fn from(e: &AccountEvent) -> Self {
        Self {
            at: rfc3339(e.at),
            kind: e.kind.clone(),
            officer: e.officer.map(|o| o.0),
            client: e.client.clone(),
            details: e.details.clone(),
        }
    }
}

/// A citizen's account and its latest events, for an officer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OfficerAccountBody {
    /// The account; null when the citizen has none.
    pub account: Option<AccountView>,
    /// Its latest 20 events, newest first.
    pub events: Vec<OfficerEventView>,
}

/// An officer's lock or unlock done.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChangedView {
    /// Whether it changed anything (false: it was already so).
    pub changed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_instants_are_written_as_the_api_writes_them() {
        assert_eq!(iso_date("17/05/1990"), "1990-05-17");
        assert_eq!(iso_date("05/1990"), "1990-05");
        assert_eq!(iso_date("1990"), "1990");
        assert_eq!(iso_date(""), "");
        assert_eq!(rfc3339(1_795_230_000), "2026-11-21T03:00:00Z");
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let b = CodeBody {
            challenge_id: "c".repeat(64),
            otp: "173825".into(),
        };
        assert_eq!(format!("{b:?}"), "CodeBody(<redacted>)");
    }
}
