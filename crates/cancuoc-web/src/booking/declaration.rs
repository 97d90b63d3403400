//! The online declaration (tờ khai Căn cước, mẫu CC01 of the Ministry of
//! Public Security's circular on forms), saved as a draft with a booking:
//! opened with the booking's code and phone number, every field checked
//! with a message beside it (and in the summary on top) in the page's
//! language, editable until reception. Ethnicity and religion are chosen
//! from the official lists (`cancuoc_core::lists`); the card may be
//! received at the office or by post to an address (`CardDelivery`, stored
//! with the draft).

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cancuoc_core::i18n::Localized;
use cancuoc_core::id::PersonalId;
use cancuoc_core::lists::{self, ListEntry};
use cancuoc_core::person::{PartialDate, Sex};
use cancuoc_core::phone::PhoneNumber;
use cancuoc_service::ErrorClass;
use cancuoc_service::model::{Booking, BookingState, CardDelivery, Declaration};
use jiff::civil::Date;

use super::fields::{Errors, FieldMsg, Fields, TEXT_MAX, person_name, text};
use super::pages::{BookingView, Missed, find, see_other};
use crate::Web;
use crate::client::Caller;
use crate::console::forms::{parse_dob, show_dob};
use crate::ui::Ui;

/// The form's fields, as typed (re-shown after an error).
#[derive(Debug, Clone, Default)]
pub(crate) struct DeclForm {
    pub ho_ten: String,
    pub ngay_sinh: String,
    pub gioi_tinh: String,
    pub so_dinh_danh: String,
    pub quoc_tich: String,
    pub dan_toc: String,
    pub ton_giao: String,
    pub que_quan: String,
    pub noi_dang_ky_khai_sinh: String,
    pub thuong_tru: String,
    pub noi_o_hien_tai: String,
    pub so_dien_thoai: String,
    pub email: String,
    pub nghe_nghiep: String,
    pub ho_ten_cha: String,
    pub ho_ten_me: String,
    pub ho_ten_vo_chong: String,
    /// `tai_co_quan` (the default) or `buu_dien`.
    pub nhan_the: String,
    /// The postal address when `nhan_the` is `buu_dien`.
    pub dia_chi_nhan: String,
    /// `1` when the citizen asks for a level-2 electronic identity account
    /// with the card (the checkbox `tai_khoan_muc_2`).
    pub tai_khoan_muc_2: String,
}

impl DeclForm {
    fn read(f: &Fields) -> Self {
        Self {
            ho_ten: f.get("ho_ten").to_owned(),
            ngay_sinh: f.get("ngay_sinh").to_owned(),
            gioi_tinh: f.get("gioi_tinh").to_owned(),
            so_dinh_danh: f.get("so_dinh_danh").to_owned(),
            quoc_tich: f.get("quoc_tich").to_owned(),
            dan_toc: f.get("dan_toc").to_owned(),
            ton_giao: f.get("ton_giao").to_owned(),
            que_quan: f.get("que_quan").to_owned(),
            noi_dang_ky_khai_sinh: f.get("noi_dang_ky_khai_sinh").to_owned(),
            thuong_tru: f.get("thuong_tru").to_owned(),
            noi_o_hien_tai: f.get("noi_o_hien_tai").to_owned(),
            so_dien_thoai: f.get("so_dien_thoai").to_owned(),
            email: f.get("email").to_owned(),
            nghe_nghiep: f.get("nghe_nghiep").to_owned(),
            ho_ten_cha: f.get("ho_ten_cha").to_owned(),
            ho_ten_me: f.get("ho_ten_me").to_owned(),
            ho_ten_vo_chong: f.get("ho_ten_vo_chong").to_owned(),
            nhan_the: f.get("nhan_the").to_owned(),
            dia_chi_nhan: f.get("dia_chi_nhan").to_owned(),
            tai_khoan_muc_2: f.get("tai_khoan_muc_2").to_owned(),
        }
    }

    /// The saved draft, or what the booking already says.
    fn from_saved(d: Option<Declaration>, b: &Booking) -> Self {
        match d {
            Some(d) => Self {
                ho_ten: d.full_name,
                // Shown back as it is typed (17/05/1990).
                ngay_sinh: show_dob(&d.date_of_birth),
                gioi_tinh: d.sex.code().to_owned(),
                so_dinh_danh: d.personal_id.unwrap_or_default(),
                quoc_tich: d.nationality,
                dan_toc: listed(lists::ethnic_group, d.ethnicity),
                ton_giao: listed(lists::religion, d.religion),
                que_quan: d.place_of_origin,
                noi_dang_ky_khai_sinh: d.birth_registration,
                thuong_tru: d.permanent_residence,
                noi_o_hien_tai: d.current_residence,
                so_dien_thoai: d.phone.as_str().to_owned(),
                email: d.email.unwrap_or_default(),
                nghe_nghiep: d.occupation.unwrap_or_default(),
                ho_ten_cha: d.father_name.unwrap_or_default(),
                ho_ten_me: d.mother_name.unwrap_or_default(),
                ho_ten_vo_chong: d.spouse_name.unwrap_or_default(),
                nhan_the: match d.delivery {
                    CardDelivery::AtOffice => AT_OFFICE.to_owned(),
                    CardDelivery::ByPost { .. } => BY_POST.to_owned(),
                },
                dia_chi_nhan: match d.delivery {
                    CardDelivery::ByPost { address } => address,
                    CardDelivery::AtOffice => String::new(),
                },
                tai_khoan_muc_2: if d.wants_account {
                    WANTS_ACCOUNT.to_owned()
                } else {
                    String::new()
                },
            },
            None => Self {
                ho_ten: b.full_name.clone(),
                so_dinh_danh: b.personal_id.clone().unwrap_or_default(),
                quoc_tich: "Việt Nam".to_owned(),
                so_dien_thoai: b.phone.clone(),
                ..Self::default()
            },
        }
    }
}

/// `nhan_the`: the card is received at the office.
const AT_OFFICE: &str = "tai_co_quan";
/// `nhan_the`: the card is sent by post to `dia_chi_nhan`.
const BY_POST: &str = "buu_dien";
/// `tai_khoan_muc_2`: the checkbox's value when ticked (đề nghị cấp tài
/// khoản định danh điện tử mức độ 2 cùng thẻ).
const WANTS_ACCOUNT: &str = "1";

/// Whether the checkbox asking for a level-2 account with the card is
/// ticked: its value, or a value a hand-written form might send for "yes".
fn wants_account(form: &DeclForm) -> bool {
    matches!(
        form.tai_khoan_muc_2.trim(),
        WANTS_ACCOUNT | "on" | "true" | "co"
    )
}

/// A saved name shown as the list writes it (an older spelling of a draft
/// selects its entry), or as saved when the list has no such entry.
fn listed(find: fn(&str) -> Option<&'static ListEntry>, saved: String) -> String {
    find(&saved).map_or(saved, |e| e.vi.to_owned())
}

/// The entry of an official list the field names, or the field's message
/// (nothing chosen, or a name not on the list).
fn from_list(
    field: &'static str,
    find: fn(&str) -> Option<&'static ListEntry>,
    (what_vi, what_en): (&str, &str),
    input: &str,
) -> Result<String, FieldMsg> {
    let t = input.trim();
    match find(t) {
        Some(e) => Ok(e.vi.to_owned()),
        None if t.is_empty() => Err(FieldMsg::new(
            field,
            format!("Hãy chọn {what_vi} trong danh sách."),
            format!("Choose the {what_en} from the list."),
        )),
        None => Err(FieldMsg::new(
            field,
            format!("“{t}” không có trong danh sách: hãy chọn {what_vi} trong danh sách."),
            format!("“{t}” is not on the list: choose the {what_en} from the list."),
        )),
    }
}

/// How the card is to be received: at the office, or by post to an
/// address (then required).
fn delivery(form: &DeclForm) -> Result<CardDelivery, FieldMsg> {
    match form.nhan_the.trim() {
        "" | AT_OFFICE => Ok(CardDelivery::AtOffice),
        BY_POST => text(
            "dia_chi_nhan",
            (
                "địa chỉ nhận thẻ qua bưu điện",
                "postal address for the card",
            ),
            &form.dia_chi_nhan,
        )
        .map(|address| CardDelivery::ByPost { address }),
        other => Err(FieldMsg::new(
            "nhan_the",
            format!(
                "“{other}” không phải cách nhận thẻ: hãy chọn nhận tại cơ quan hoặc qua bưu điện."
            ),
            format!("“{other}” is not a way to receive the card: choose at the office or by post."),
        )),
    }
}

/// Reads a date of birth as people write it (core's
/// `PartialDate::parse_typed`: `17/05/1990`, `17-5-1990`, `17.05.1990`,
/// `17 5 1990`, `05/1990`, `1990`, or ISO); partial dates are allowed
/// (only the year or the month known). Not after `today`, not before 1900.
pub(crate) fn date_of_birth(input: &str, today: Date) -> Result<PartialDate, FieldMsg> {
    let t = input.trim();
    if t.is_empty() {
        return Err(FieldMsg::new(
            "ngay_sinh",
            "Hãy nhập ngày sinh (ngày/tháng/năm; nếu không rõ ngày: tháng/năm hoặc năm).",
            "Enter the date of birth (day/month/year; if the day is unknown: month/year or year).",
        ));
    }
    let date =
        parse_dob(t).map_err(|e| FieldMsg::new("ngay_sinh", e.message_vi(), e.message_en()))?;
    let year = date.year();
    let after_today = match date {
        PartialDate::Full(d) => d > today,
        PartialDate::YearMonth { year, month } => (year, month) > (today.year(), today.month()),
        PartialDate::Year(y) => y > today.year(),
    };
    if year < 1900 || after_today {
        return Err(FieldMsg::new(
            "ngay_sinh",
            format!(
                "Ngày sinh phải từ năm 1900 đến hôm nay ({}).",
                today.strftime("%d/%m/%Y")
            ),
            format!(
                "The date of birth must be between 1900 and today ({}).",
                today.strftime("%d/%m/%Y")
            ),
        ));
    }
    Ok(date)
}

/// An optional field: `None` when blank, else checked by `check`.
fn optional<T>(
    v: &str,
    check: impl FnOnce(&str) -> Result<T, FieldMsg>,
) -> Result<Option<T>, FieldMsg> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        check(v).map(Some)
    }
}

/// A plausible e-mail address: one `@`, a dotted domain, no spaces, at most
/// 254 characters (the address is only for notices; deliverability is not
/// checked).
fn email(v: &str) -> Result<String, FieldMsg> {
    let v = v.trim();
    let ok = v.len() <= 254
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(v.to_owned())
    } else {
        Err(FieldMsg::new(
            "email",
            format!("“{v}” không phải địa chỉ thư điện tử (ví dụ ten@example.vn)."),
            format!("“{v}” is not an e-mail address (e.g. name@example.vn)."),
        ))
    }
}

/// Checks every field; all messages at once.
pub(crate) fn parse(form: &DeclForm, today: Date, ui: &Ui) -> Result<Declaration, Errors> {
    let mut errors = Errors::new(ui);
    let mut take = |r: Result<String, FieldMsg>| r.map_err(|e| errors.push(e)).unwrap_or_default();
    let full_name = take(person_name("ho_ten", &form.ho_ten));
    let nationality = take(text(
        "quoc_tich",
        ("quốc tịch", "nationality"),
        &form.quoc_tich,
    ));
    let ethnicity = take(from_list(
        "dan_toc",
        lists::ethnic_group,
        ("dân tộc", "ethnic group"),
        &form.dan_toc,
    ));
    let religion = take(from_list(
        "ton_giao",
        lists::religion,
        (
            "tôn giáo (“Không” nếu không theo tôn giáo nào)",
            "religion (“Không”, none, if you have no religion)",
        ),
        &form.ton_giao,
    ));
    let place_of_origin = take(text(
        "que_quan",
        ("quê quán", "place of origin"),
        &form.que_quan,
    ));
    let birth_registration = take(text(
        "noi_dang_ky_khai_sinh",
        ("nơi đăng ký khai sinh", "place of birth registration"),
        &form.noi_dang_ky_khai_sinh,
    ));
    let permanent_residence = take(text(
        "thuong_tru",
        ("nơi thường trú", "permanent residence"),
        &form.thuong_tru,
    ));
    let current_residence = take(text(
        "noi_o_hien_tai",
        ("nơi ở hiện tại", "current residence"),
        &form.noi_o_hien_tai,
    ));
    let occupation = optional(&form.nghe_nghiep, |v| {
        text("nghe_nghiep", ("nghề nghiệp", "occupation"), v)
    });
    let father = optional(&form.ho_ten_cha, |v| person_name("ho_ten_cha", v));
    let mother = optional(&form.ho_ten_me, |v| person_name("ho_ten_me", v));
    let spouse = optional(&form.ho_ten_vo_chong, |v| person_name("ho_ten_vo_chong", v));
    let mail = optional(&form.email, email);
    let mut opt =
        |r: Result<Option<String>, FieldMsg>| r.map_err(|e| errors.push(e)).unwrap_or(None);
    let (occupation, father, mother, spouse, mail) = (
        opt(occupation),
        opt(father),
        opt(mother),
        opt(spouse),
        opt(mail),
    );
    let delivery = delivery(form).map_err(|e| errors.push(e)).ok();
    let dob = date_of_birth(&form.ngay_sinh, today)
        .map_err(|e| errors.push(e))
        .ok();
    let sex = Sex::parse(&form.gioi_tinh)
        .map_err(|e| errors.push(FieldMsg::new("gioi_tinh", e.message_vi(), e.message_en())))
        .ok();
    let phone = PhoneNumber::parse(&form.so_dien_thoai)
        .map_err(|e| {
            errors.push(FieldMsg::new(
                "so_dien_thoai",
                e.message_vi(),
                e.message_en(),
            ))
        })
        .ok();
    let pid = match form.so_dinh_danh.trim() {
        "" => None,
        s => match PersonalId::parse_lenient_input(s) {
            Ok(id) => {
                // The number encodes the century, sex and year of birth:
                // a disagreement is a typo in one of the three fields.
                for m in id.check_consistency(dob, sex) {
                    errors.push(FieldMsg::new(
                        "so_dinh_danh",
                        m.message_vi(),
                        m.message_en(),
                    ));
                }
                Some(id)
            }
            Err(e) => {
                errors.push(FieldMsg::new(
                    "so_dinh_danh",
                    e.message_vi(),
                    e.message_en(),
                ));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(dob), Some(sex), Some(phone), Some(delivery)) = (dob, sex, phone, delivery) else {
        return Err(errors);
    };
    Ok(Declaration {
        full_name,
        date_of_birth: dob,
        sex,
        personal_id: pid.map(|p| p.as_str().to_owned()),
        nationality,
        ethnicity,
        religion,
        place_of_origin,
        birth_registration,
        permanent_residence,
        current_residence,
        phone,
        email: mail,
        occupation,
        father_name: father,
        mother_name: mother,
        spouse_name: spouse,
        delivery,
        wants_account: wants_account(form),
    })
}

/// `GET /to-khai`, `POST /to-khai/mo`, `POST /to-khai`.
#[derive(Template, WebTemplate)]
#[template(path = "booking/declaration.html")]
pub(crate) struct DeclPage {
    ui: Ui,
    /// The booking's code and phone, as typed (hidden fields once found).
    code: String,
    phone: String,
    /// Set once the booking is found: the form is shown.
    booking: Option<BookingView>,
    form: DeclForm,
    errors: Errors,
    notice: Option<FieldMsg>,
    text_max: usize,
}

impl DeclPage {
    fn new(ui: Ui) -> Self {
        Self {
            errors: Errors::new(&ui),
            ui,
            code: String::new(),
            phone: String::new(),
            booking: None,
            form: DeclForm::default(),
            notice: None,
            text_max: TEXT_MAX,
        }
    }

    /// Whether the booking can still be edited.
    fn editable(&self) -> bool {
        self.booking.as_ref().is_some_and(BookingView::is_booked)
    }

    /// The text inputs of the form, in the order of mẫu CC01, each with its
    /// label, value and message.
    fn inputs(&self) -> Vec<Input<'_>> {
        let f = &self.form;
        let ui = &self.ui;
        let mut v = Vec::new();
        let mut add = |name: &'static str,
                       (vi, en): (&'static str, &'static str),
                       value: &'_ str,
                       required: bool,
                       (hvi, hen): (&'static str, &'static str)| {
            v.push(Input {
                name,
                label: ui.t(vi, en),
                value: value.to_owned(),
                required,
                hint: ui.t(hvi, hen),
                error: self.errors.get(name),
                invalid: self.errors.invalid(name),
            });
        };
        let none = ("", "");
        add(
            "ho_ten",
            ("1. Họ, chữ đệm và tên", "1. Full name"),
            &f.ho_ten,
            true,
            (
                "Viết có dấu, như trên giấy khai sinh.",
                "With diacritics, as on the birth certificate.",
            ),
        );
        add(
            "ngay_sinh",
            ("2. Ngày, tháng, năm sinh", "2. Date of birth"),
            &f.ngay_sinh,
            true,
            (
                "dd/mm/yyyy; nếu không rõ ngày: mm/yyyy hoặc yyyy.",
                "dd/mm/yyyy; if the day is unknown: mm/yyyy or yyyy.",
            ),
        );
        add(
            "so_dinh_danh",
            (
                "4. Số định danh cá nhân (nếu có)",
                "4. Personal ID number (if any)",
            ),
            &f.so_dinh_danh,
            false,
            ("12 chữ số.", "12 digits."),
        );
        add(
            "quoc_tich",
            ("5. Quốc tịch", "5. Nationality"),
            &f.quoc_tich,
            true,
            none,
        );
        add(
            "que_quan",
            ("8. Quê quán", "8. Place of origin"),
            &f.que_quan,
            true,
            none,
        );
        add(
            "noi_dang_ky_khai_sinh",
            ("9. Nơi đăng ký khai sinh", "9. Place of birth registration"),
            &f.noi_dang_ky_khai_sinh,
            true,
            none,
        );
        add(
            "thuong_tru",
            ("10. Nơi thường trú", "10. Permanent residence"),
            &f.thuong_tru,
            true,
            none,
        );
        add(
            "noi_o_hien_tai",
            ("11. Nơi ở hiện tại", "11. Current residence"),
            &f.noi_o_hien_tai,
            true,
            (
                "Ghi lại nơi thường trú nếu ở đó.",
                "Repeat the permanent residence if you live there.",
            ),
        );
        add(
            "so_dien_thoai",
            ("12. Số điện thoại", "12. Phone number"),
            &f.so_dien_thoai,
            true,
            none,
        );
        add(
            "email",
            ("13. Thư điện tử (không bắt buộc)", "13. E-mail (optional)"),
            &f.email,
            false,
            none,
        );
        add(
            "nghe_nghiep",
            (
                "14. Nghề nghiệp (không bắt buộc)",
                "14. Occupation (optional)",
            ),
            &f.nghe_nghiep,
            false,
            none,
        );
        add(
            "ho_ten_cha",
            (
                "15. Họ và tên cha (không bắt buộc)",
                "15. Father's full name (optional)",
            ),
            &f.ho_ten_cha,
            false,
            none,
        );
        add(
            "ho_ten_me",
            (
                "16. Họ và tên mẹ (không bắt buộc)",
                "16. Mother's full name (optional)",
            ),
            &f.ho_ten_me,
            false,
            none,
        );
        add(
            "ho_ten_vo_chong",
            (
                "17. Họ và tên vợ/chồng (không bắt buộc)",
                "17. Spouse's full name (optional)",
            ),
            &f.ho_ten_vo_chong,
            false,
            none,
        );
        v
    }
}

impl DeclPage {
    /// The 54 ethnic groups (`cancuoc_core::lists`).
    fn ethnic_groups(&self) -> &'static [ListEntry] {
        lists::ETHNIC_GROUPS
    }
    /// None and the recognised religions (`cancuoc_core::lists`).
    fn religions(&self) -> &'static [ListEntry] {
        lists::RELIGIONS
    }
    /// Whether the card goes by post.
    fn by_post(&self) -> bool {
        self.form.nhan_the == BY_POST
    }

    /// Whether the level-2 account checkbox is ticked.
    fn wants_account(&self) -> bool {
        wants_account(&self.form)
    }
}

/// One text input of the declaration form.
pub(crate) struct Input<'a> {
    name: &'static str,
    label: &'a str,
    value: String,
    required: bool,
    hint: &'a str,
    error: Option<String>,
    invalid: &'static str,
}

/// `GET /to-khai?ma=`: asks for the booking's code and phone.
pub(crate) async fn open_form(ui: Ui, RawQuery(q): RawQuery) -> DeclPage {
    let f = Fields::parse(q.unwrap_or_default().as_bytes());
    let mut page = DeclPage::new(ui);
    page.code = f.get("ma").to_owned();
    page
}

fn closed_notice() -> FieldMsg {
    FieldMsg::new(
        "ma",
        "Lịch hẹn đã bị hủy hoặc đã được tiếp nhận: tờ khai không còn sửa được.",
        "The appointment is cancelled or already received: the declaration can no longer be edited.",
    )
}

/// `POST /to-khai/mo`: finds the booking and shows its draft (or a form
/// pre-filled from the booking).
pub(crate) async fn open(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let mut page = DeclPage::new(ui.clone());
    page.code = f.get("ma").to_owned();
    page.phone = f.get("dien_thoai").to_owned();
    let found = match find(&app, &ui, &f, client).await {
        Ok(found) => found,
        Err(Missed::Form(status, errors)) => {
            page.errors = errors;
            return (status, page).into_response();
        }
        Err(Missed::Failed(failed)) => return failed.into_response(),
    };
    let (b, saved) = match app
        .service()
        .declaration(&found.code, &found.phone, client)
        .await
    {
        Ok(x) => x,
        Err(e) => return crate::error::PageError::service(&ui, e).into_response(),
    };
    page.form = DeclForm::from_saved(saved, &b);
    if b.state != BookingState::Booked {
        page.notice = Some(closed_notice());
    }
    page.booking = Some(BookingView::of(&app, &ui, &b));
    page.into_response()
}

/// `POST /to-khai`: checks and saves the draft, then 303 to the booking's
/// confirmation; the form again with every message otherwise.
pub(crate) async fn save(
    State(app): State<Web>,
    ui: Ui,
    Caller(client): Caller,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let mut page = DeclPage::new(ui.clone());
    page.code = f.get("ma").to_owned();
    page.phone = f.get("dien_thoai").to_owned();
    let found = match find(&app, &ui, &f, client).await {
        Ok(x) => x,
        Err(Missed::Form(status, errors)) => {
            page.errors = errors;
            return (status, page).into_response();
        }
        Err(Missed::Failed(failed)) => return failed.into_response(),
    };
    page.form = DeclForm::read(&f);
    page.booking = Some(BookingView::of(&app, &ui, &found.booking));
    let decl = match parse(&page.form, app.service().today(), &ui) {
        Ok(d) => d,
        Err(errors) => {
            tracing::info!(fields = errors.len(), "declaration refused");
            page.errors = errors;
            return (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        }
    };
    match app
        .service()
        .save_declaration(&found.code, &found.phone, &decl, client)
        .await
    {
        Ok(b) => see_other(&format!("/dat-lich/xac-nhan/{}?to_khai=da_luu", b.code)),
        Err(e) if e.class() == ErrorClass::Conflict => {
            page.notice = Some(closed_notice());
            (StatusCode::CONFLICT, page).into_response()
        }
        Err(e) => crate::error::PageError::service(&ui, e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_of_birth() {
        let today = date(2026, 11, 21);
        let ok = |s: &str| date_of_birth(s, today).map(|d| d.to_string());
        assert_eq!(ok("17/05/1990").as_deref(), Ok("1990-05-17"));
        assert_eq!(ok("7/5/1990").as_deref(), Ok("1990-05-07"));
        assert_eq!(ok("05/1990").as_deref(), Ok("1990-05"));
        assert_eq!(ok("1990").as_deref(), Ok("1990"));
        assert_eq!(ok("1990-05-17").as_deref(), Ok("1990-05-17"));
        assert_eq!(ok("17-5-1990").as_deref(), Ok("1990-05-17"));
        assert_eq!(ok("17.05.1990").as_deref(), Ok("1990-05-17"));
        assert_eq!(ok("21/11/2026").as_deref(), Ok("2026-11-21"));
        for bad in [
            "",
            "31/02/1990",
            "1990/05",
            "abc",
            "22/11/2026",
            "12/2026x",
            "1899",
            "2027",
        ] {
            let e = date_of_birth(bad, today).expect_err(bad);
            assert_eq!(e.field, "ngay_sinh", "{bad}");
            assert!(!e.vi.is_empty() && !e.en.is_empty(), "{bad}");
        }
        // December 2026 is after today (21/11/2026): the range message.
        let e = date_of_birth("12/2026", today).expect_err("future month");
        assert!(e.en.contains("between 1900 and today"), "{e:?}");
        assert!(date_of_birth("11/2026", today).is_ok());
    }

    #[test]
    fn emails() {
        assert!(email("ten@example.vn").is_ok());
        for bad in [
            "ten", "ten@", "@x.vn", "a b@x.vn", "a@x", "a@@x.vn", "a@.vn",
        ] {
            let e = email(bad).expect_err(bad);
            assert_eq!(e.field, "email", "{bad}");
            assert!(e.en.contains("is not an e-mail address"), "{bad}: {e:?}");
        }
    }
}
