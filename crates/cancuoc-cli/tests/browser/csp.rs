//! The content security policy in a real browser (issue 18, item 7). With
//! `--test-hooks` every page's policy, and the API docs', names
//! `/__test/csp` as its report address: the browser posts each violation
//! there, and a GET reads (and forgets) what came. Run after the other
//! scenarios, this one fails on any violation they caused (an inline
//! script or style the policy blocked, a page half broken for it), then
//! checks the API docs (Swagger UI) render and send a request under their
//! own policy, and last that a page breaking the policy on purpose
//! (`/__test/csp-probe`) is reported, so that silence means something.

use std::time::{Duration, Instant};

use anyhow::{Result, bail, ensure};

use crate::harness::Ctx;

/// The violation reports received since the last read.
fn reports(c: &Ctx) -> Result<String> {
    let mut res = crate::service_support::agent()
        .get(&c.url("/__test/csp"))
        .call()?;
    ensure!(
        res.status().as_u16() == 200,
        "test hook answered {}",
        res.status()
    );
    Ok(res.body_mut().read_to_string()?.trim().to_owned())
}

/// No violation from the pages the other scenarios walked, none from the
/// API docs, and the probe's reported.
pub async fn policy_held(c: Ctx) -> Result<()> {
    let seen = reports(&c)?;
    ensure!(
        seen.is_empty(),
        "the content security policy was violated on the pages walked:\n{seen}"
    );

    c.open("/api/docs/").await?;
    c.wait_text("cancuoc API").await?;
    c.wait_text("/api/v1/status/{code}").await?;
    // Open an operation and send it from the page ("Try it out"), so its
    // parameters, examples, the request it makes and the highlighted
    // answer are drawn under the policy too.
    c.click("#operations-public-offices .opblock-summary")
        .await?;
    c.click("#operations-public-offices .try-out__btn").await?;
    c.click("#operations-public-offices .execute").await?;
    c.wait_text("Response body").await?;
    c.shot("api-docs").await?;
    // A report is sent shortly after the violation: give it time.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen = reports(&c)?;
    ensure!(
        seen.is_empty(),
        "the API docs violate their content security policy:\n{seen}"
    );

    c.open("/__test/csp-probe").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let seen = reports(&c)?;
        if seen.contains("csp-probe") {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("a page breaking the policy on purpose was not reported (got {seen:?})");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
