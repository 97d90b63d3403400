//! What the reception desk's registration form (đăng ký công dân) starts
//! with: the usual defaults, or an appointment's online declaration over
//! them — a field the citizen left empty keeps its default.

use super::forms::{parse_dob, show_dob};
use super::reception::CitizenForm;
use crate::web::booking::ReceptionPrefill;

impl CitizenForm {
    /// An empty form with the usual defaults (quốc tịch Việt Nam, dân tộc
    /// Kinh, tôn giáo Không).
    pub(crate) fn with_defaults() -> Self {
        Self {
            quoc_tich: "Việt Nam".into(),
            dan_toc: "Kinh".into(),
            ton_giao: "Không".into(),
            ..Self::default()
        }
    }

    /// The defaults, overridden by every field the appointment's
    /// declaration (or, without one, the booking itself) gives: a field
    /// the citizen left empty keeps its default instead of blanking it.
    pub(crate) fn prefilled(p: &ReceptionPrefill) -> Self {
        let mut f = Self::with_defaults();
        let set = |field: &mut String, value: &str| {
            if !value.trim().is_empty() {
                value.trim().clone_into(field);
            }
        };
        set(&mut f.ho_ten, &p.full_name);
        // Declared as YYYY-MM-DD (or YYYY-MM, YYYY); the desk shows dd/mm/yyyy.
        let dob =
            parse_dob(&p.date_of_birth).map_or_else(|_| p.date_of_birth.clone(), |d| show_dob(&d));
        set(&mut f.ngay_sinh, &dob);
        set(&mut f.gioi_tinh, &p.sex);
        set(
            &mut f.so_dinh_danh,
            p.personal_id.as_deref().unwrap_or_default(),
        );
        set(&mut f.noi_khai_sinh, &p.birth_registration);
        set(&mut f.que_quan, &p.place_of_origin);
        set(&mut f.thuong_tru, &p.permanent_residence);
        set(&mut f.tam_tru, &p.current_residence);
        set(&mut f.quoc_tich, &p.nationality);
        set(&mut f.dan_toc, &p.ethnicity);
        set(&mut f.ton_giao, &p.religion);
        set(&mut f.dien_thoai, &p.phone);
        set(&mut f.booking, &p.booking_code);
        f
    }
}
