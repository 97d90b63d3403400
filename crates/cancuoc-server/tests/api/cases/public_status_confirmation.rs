//! The public status lookup answers the code of a request to confirm an
//! old CMND number with that request's own state and dates (nothing of
//! the person), and a decision shows at once.

use cancuoc_service::model::Verdict;
use cancuoc_service::{ConfirmationForm, ConfirmationRequest};
use cancuoc_store::Store;

use crate::world::*;

pub async fn a_confirmation_code_answers_its_own_status_and_a_decision_shows_at_once(store: Store) {
    let w = world(store).await;
    let svc = w.app.service();
    let officer = svc.authenticate(&w.receptionist).await.expect("officer");
    let req = ConfirmationRequest::checked(
        &ConfirmationForm {
            office: "",
            personal_id: "079090012399",
            full_name: "Đặng Thị Tra Cứu",
            date_of_birth: "15-3-1990",
            old_number: "123456789",
        },
        svc.today(),
    )
    .expect("form");
    let c = svc
        .request_confirmation_at_desk(&officer, req)
        .await
        .expect("request");
    // The code as printed, with its spaces.
    let uri = format!("/api/v1/status/{}", c.code.grouped().replace(' ', "%20"));
    let r = get(&w.router, &uri, None).await;
    let s = r.ok(200);
    assert_eq!(s["code"], c.code.to_string().as_str());
    assert_eq!(s["procedure"], "cmnd_number_confirmation");
    assert_eq!(s["confirmation_state"], "requested");
    assert_eq!(s["promised_date"], c.promised_on.to_string().as_str());
    assert_eq!(s["decided_date"], serde_json::Value::Null);
    assert!(s.get("state").is_none(), "not a dossier's state");
    let text = s.to_string();
    for leak in ["079090012399", "Đặng", "123456789"] {
        assert!(!text.contains(leak), "{leak:?} in {text}");
    }
    svc.decide_confirmation(
        &officer,
        c.code,
        Verdict::Refuse("Không có trong tàng thư".into()),
    )
    .await
    .expect("refuse");
    let r = get(&w.router, &uri, None).await;
    let s = r.ok(200);
    assert_eq!(s["confirmation_state"], "refused");
    assert_eq!(s["decided_date"], svc.today().to_string().as_str());
    assert!(
        !s.to_string().contains("tàng thư"),
        "the reason is not public"
    );
}
