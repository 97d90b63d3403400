//! Hello-world axum server for `bench/lookup.sh`: `GET /` answers a short
//! JSON body, nothing else. Usage: `cancuoc-bench-hello 127.0.0.1:8090`.

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".to_owned());
    let app = Router::new().route(
        "/",
        get(|| async {
            (
                [("content-type", "application/json")],
                "{\"hello\":\"world\"}",
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("hello listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
