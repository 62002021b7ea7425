//! Real sockets for the concurrency tests: the router served on loopback, one HTTP/1.1 exchange
//! per connection, and deterministic dice. `examples/bench_server.rs` drives its concurrency run
//! with the same exchange and dice (it includes this file).

/// The real router on a loopback socket, and one HTTP/1.1 exchange per connection.
pub mod wire {
    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};
    use hyper::Request;
    use hyper::client::conn::http1;
    use hyper_util::rt::TokioIo;
    use serde_json::Value;
    use std::net::SocketAddr;

    pub async fn serve(router: axum::Router) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });
        addr
    }

    pub type Error = Box<dyn std::error::Error + Send + Sync>;

    /// One exchange on a fresh connection, signed in as `token`: the status and the JSON body
    /// (`null` when there is none).
    pub async fn exchange(
        addr: SocketAddr,
        method: &str,
        path: &str,
        token: &str,
        body: Option<String>,
    ) -> Result<(u16, Value), Error> {
        let (status, reply, _) = exchange_keyed(addr, method, path, token, body, None).await?;
        Ok((status, reply))
    }

    /// [`exchange`] with an `Idempotency-Key`: also whether the reply was a replay
    /// (`Idempotent-Replayed: true`).
    pub async fn exchange_keyed(
        addr: SocketAddr,
        method: &str,
        path: &str,
        token: &str,
        body: Option<String>,
        key: Option<&str>,
    ) -> Result<(u16, Value, bool), Error> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        let (mut sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json");
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let request = request.body(Full::new(Bytes::from(body.unwrap_or_default())))?;
        let response = sender.send_request(request).await?;
        let status = response.status().as_u16();
        let replayed = response
            .headers()
            .get("idempotent-replayed")
            .is_some_and(|v| v == "true");
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            replayed,
        ))
    }

    /// [`exchange`] in a test: a broken connection fails it.
    pub async fn call(
        addr: SocketAddr,
        method: &str,
        path: &str,
        token: &str,
        body: Option<String>,
    ) -> (u16, Value) {
        exchange(addr, method, path, token, body).await.unwrap()
    }
}

/// xorshift64*: deterministic dice, so a failing run can be repeated.
pub fn dice(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    move |n| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}
