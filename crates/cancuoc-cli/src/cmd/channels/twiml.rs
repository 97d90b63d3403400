//! A minimal TwiML reader for the call simulator: the `<Response>`'s
//! verbs in order, with the few attributes a phone acts on.
//!
//! Hand-written rather than taken from an XML crate: none is in the tree
//! (the server writes TwiML with a hand-written escaper too), and TwiML is
//! a flat document of a dozen verbs. It reads elements, attributes in
//! single or double quotes, text, the five named entities and numeric
//! character references, and skips the XML declaration, comments,
//! processing instructions and CDATA-free doctype lines. Anything else
//! malformed (a tag left open, a stray `<`) is an error naming where.

use anyhow::{anyhow, bail};

/// A TwiML verb, as far as a simulated phone cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verb {
    /// `<Say>`: words spoken.
    Say(String),
    /// `<Play>`: a recording's URL.
    Play(String),
    /// `<Pause length>`: silence.
    Pause(Option<u32>),
    /// `<Gather>`: the nested prompts, then a wait for keys posted to
    /// `action` (the current URL when absent).
    Gather {
        /// Where the keys are posted.
        action: Option<String>,
        /// A fixed number of keys, if set.
        num_digits: Option<u32>,
        /// The key that ends the entry (Twilio's default `#`).
        finish_on_key: Option<String>,
        /// Seconds of silence before giving up.
        timeout: Option<u32>,
        /// The nested `<Say>`, `<Play>`, `<Pause>`.
        inner: Vec<Verb>,
    },
    /// `<Dial>`: the number (the text, or a nested `<Number>`'s).
    Dial(String),
    /// `<Hangup/>` or `<Reject/>`.
    Hangup,
    /// `<Redirect>`: fetch this URL next.
    Redirect(String),
    /// Any other verb, by name.
    Other(String),
}

/// An element of the document.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn number(&self, name: &str) -> Option<u32> {
        self.attr(name).and_then(|v| v.trim().parse().ok())
    }

    /// The text inside, trimmed.
    fn trimmed(&self) -> String {
        self.text.trim().to_owned()
    }
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;` and `&#xNN;`
/// replaced; an unknown entity is an error.
fn unescape(s: &str) -> anyhow::Result<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| anyhow!("an '&' without ';' in {s:?}"))?;
        let name = &after[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    name.strip_prefix('#').and_then(|d| d.parse().ok())
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| anyhow!("unknown entity &{name};"))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The attributes of a tag's inside after its name (`a="1" b='2'`).
fn attributes(mut s: &str) -> anyhow::Result<Vec<(String, String)>> {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(attrs);
        }
        let eq = s
            .find('=')
            .ok_or_else(|| anyhow!("an attribute without a value near {s:?}"))?;
        let name = s[..eq].trim().to_owned();
        let v = s[eq + 1..].trim_start();
        let quote = v
            .chars()
            .next()
            .filter(|q| *q == '"' || *q == '\'')
            .ok_or_else(|| anyhow!("attribute {name} is not quoted"))?;
        let close = v[1..]
            .find(quote)
            .ok_or_else(|| anyhow!("attribute {name}'s value is not closed"))?;
        attrs.push((name, unescape(&v[1..1 + close])?));
        s = &v[close + 2..];
    }
}

/// The document's root element.
fn document(xml: &str) -> anyhow::Result<Element> {
    // The open elements; the bottom one collects the root.
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut rest = xml;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest)?;
            break;
        };
        push_text(&mut stack, &rest[..lt])?;
        rest = &rest[lt..];
        let skip = |open: &str, close: &str, rest: &str| -> anyhow::Result<Option<usize>> {
            if !rest.starts_with(open) {
                return Ok(None);
            }
            let end = rest
                .find(close)
                .ok_or_else(|| anyhow!("{open} without {close}"))?;
            Ok(Some(end + close.len()))
        };
        if let Some(n) = skip("<?", "?>", rest)?
            .or(skip("<!--", "-->", rest)?)
            .or(skip("<!", ">", rest)?)
        {
            rest = &rest[n..];
            continue;
        }
        let gt = rest
            .find('>')
            .ok_or_else(|| anyhow!("a tag is not closed: {:?}", cut(rest)))?;
        let inside = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = inside.strip_prefix('/') {
            let name = name.trim();
            let done = stack
                .pop()
                .filter(|e| e.name == name && !e.name.is_empty())
                .ok_or_else(|| anyhow!("</{name}> closes no open <{name}>"))?;
            stack
                .last_mut()
                .ok_or_else(|| anyhow!("</{name}> closes the document"))?
                .children
                .push(done);
            continue;
        }
        let (inside, closed) = match inside.strip_suffix('/') {
            Some(i) => (i, true),
            None => (inside, false),
        };
        let name_end = inside
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inside.len());
        let name = inside[..name_end].to_owned();
        if name.is_empty() {
            bail!("a tag without a name: {:?}", cut(inside));
        }
        let element = Element {
            attrs: attributes(&inside[name_end..])?,
            name,
            ..Element::default()
        };
        if closed {
            stack
                .last_mut()
                .ok_or_else(|| anyhow!("no open element"))?
                .children
                .push(element);
        } else {
            stack.push(element);
        }
    }
    if stack.len() != 1 {
        let open: Vec<&str> = stack[1..].iter().map(|e| e.name.as_str()).collect();
        bail!("elements left open: {}", open.join(", "));
    }
    let mut top = stack.pop().map(|e| e.children).unwrap_or_default();
    match top.len() {
        1 => Ok(top.remove(0)),
        0 => bail!("an empty document"),
        n => bail!("{n} root elements"),
    }
}

/// Text between tags, added to the open element (outside the root only
/// white space is allowed).
fn push_text(stack: &mut [Element], raw: &str) -> anyhow::Result<()> {
    if raw.is_empty() {
        return Ok(());
    }
    match stack {
        [_root_holder] if raw.trim().is_empty() => Ok(()),
        [_root_holder] => bail!("text outside the root element: {:?}", cut(raw)),
        [.., open] => {
            open.text.push_str(&unescape(raw)?);
            Ok(())
        }
        [] => bail!("no open element"),
    }
}

/// The first 40 characters, for messages.
fn cut(s: &str) -> String {
    s.chars().take(40).collect()
}

/// One element read as a verb.
fn verb(e: &Element) -> Verb {
    match e.name.as_str() {
        "Say" => Verb::Say(e.trimmed()),
        "Play" => Verb::Play(e.trimmed()),
        "Pause" => Verb::Pause(e.number("length")),
        "Gather" => Verb::Gather {
            action: e.attr("action").map(str::to_owned),
            num_digits: e.number("numDigits"),
            finish_on_key: e.attr("finishOnKey").map(str::to_owned),
            timeout: e.number("timeout"),
            inner: e.children.iter().map(verb).collect(),
        },
        "Dial" => {
            let nested = e
                .children
                .iter()
                .find(|c| matches!(c.name.as_str(), "Number" | "Sip" | "Client"))
                .map(Element::trimmed);
            Verb::Dial(nested.unwrap_or_else(|| e.trimmed()))
        }
        "Hangup" | "Reject" => Verb::Hangup,
        "Redirect" => Verb::Redirect(e.trimmed()),
        other => Verb::Other(other.to_owned()),
    }
}

/// The verbs of a TwiML document, in order.
pub fn parse(xml: &str) -> anyhow::Result<Vec<Verb>> {
    let root = document(xml)?;
    if root.name != "Response" {
        bail!("the root element is <{}>, not <Response>", root.name);
    }
    Ok(root.children.iter().map(verb).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_server_renders() {
        let xml = concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#,
            r##"<Gather input="dtmf" numDigits="1" finishOnKey="#" timeout="5" "##,
            r#"action="https://cc.example.vn/channels/ivr/twilio?node=main&amp;wrong=0" method="POST" actionOnEmptyResult="true">"#,
            r#"<Say language="vi-VN" voice="Google.vi-VN-Standard-A">Xin chào.</Say>"#,
            r#"<Say language="vi-VN" voice="Google.vi-VN-Standard-A">Bấm phím 4 &amp; chờ.</Say>"#,
            "</Gather></Response>"
        );
        assert_eq!(
            parse(xml).expect("twiml"),
            [Verb::Gather {
                action: Some("https://cc.example.vn/channels/ivr/twilio?node=main&wrong=0".into()),
                num_digits: Some(1),
                finish_on_key: Some("#".into()),
                timeout: Some(5),
                inner: vec![
                    Verb::Say("Xin chào.".into()),
                    Verb::Say("Bấm phím 4 & chờ.".into())
                ],
            }]
        );
    }

    #[test]
    fn dial_hangup_redirect_and_others() {
        let xml = "<Response>\n  <Say>Xin chờ.</Say>\n  <Pause length='2'/>\n  \
                   <Dial><Number>+84999000368</Number></Dial>\n  <Dial>0241234567</Dial>\n  \
                   <Redirect method=\"POST\">/next</Redirect>\n  <Hangup/>\n  <Reject />\n  \
                   <Record/>\n  <!-- a comment --><Say>&#7843;&#x1EA1;</Say></Response>\n";
        assert_eq!(
            parse(xml).expect("twiml"),
            [
                Verb::Say("Xin chờ.".into()),
                Verb::Pause(Some(2)),
                Verb::Dial("+84999000368".into()),
                Verb::Dial("0241234567".into()),
                Verb::Redirect("/next".into()),
                Verb::Hangup,
                Verb::Hangup,
                Verb::Other("Record".into()),
                Verb::Say("ảạ".into()),
            ]
        );
    }

    #[test]
    fn malformed_documents_are_refused_with_where() {
        let e = |xml: &str| parse(xml).expect_err(xml).to_string();
        assert_eq!(
            e("<Response><Say>x</Response>"),
            "</Response> closes no open <Response>"
        );
        assert_eq!(e("<Response><Say>x</Say>"), "elements left open: Response");
        assert_eq!(
            e("<Html></Html>"),
            "the root element is <Html>, not <Response>"
        );
        assert_eq!(
            e("lỗi máy chủ"),
            "text outside the root element: \"lỗi máy chủ\""
        );
        assert_eq!(
            e("<Response><Say>a &nbsp; b</Say></Response>"),
            "unknown entity &nbsp;"
        );
        assert_eq!(
            e("<Response><Gather action=x></Gather></Response>"),
            "attribute action is not quoted"
        );
        assert_eq!(e(""), "an empty document");
        assert_eq!(e("<Response"), "a tag is not closed: \"<Response\"");
    }
}
