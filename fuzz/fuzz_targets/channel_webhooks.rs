//! Fuzz target for the channels' webhook readers: any bytes into Zalo's
//! (`zalo::parse`, `zalo::verify`), Messenger's (`messenger::parse`),
//! Stringee's DTMF event (`scco::parse_input`) and Twilio's form
//! (`twiml::parse_form`) readers must return, never panic; what they read
//! must hold together (a text event has its ids, no empty DTMF string, a
//! form re-encoded reads back the same), and no signature check may pass
//! on an unsigned body.
#![no_main]
use cancuoc_channels::{messenger, scco, signature, twiml, zalo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(zalo::ZaloEvent::Text { sender, msg_id, .. }) = zalo::parse(data) {
        let _ = (sender.len(), msg_id.len());
    }
    assert!(!zalo::verify("1", "secret", data, "mac="));
    assert!(!zalo::verify(
        "1",
        "",
        data,
        &signature::zalo_sign("1", data, "", "")
    ));

    if let Ok(events) = messenger::parse(data) {
        for e in events {
            if let messenger::MessengerEvent::Other { kind } = e {
                assert!(!kind.is_empty());
            }
        }
    }
    assert!(!signature::messenger_valid("secret", data, "sha256="));

    if let Ok(input) = scco::parse_input(data) {
        assert!(!input.call_id.is_empty());
        assert!(
            input
                .dtmf
                .is_none_or(|d| !d.is_empty() && !d.ends_with('#'))
        );
    }
    assert!(!signature::stringee_valid("", data, ""));

    let form = twiml::parse_form(data);
    let again: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.iter())
        .finish();
    assert_eq!(twiml::parse_form(again.as_bytes()), form);
    let sig = signature::twilio_sign("token", "https://example.vn/ivr", &form);
    assert!(signature::twilio_valid(
        "token",
        "https://example.vn/ivr",
        &form,
        &sig
    ));
});
