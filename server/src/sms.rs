//! Sending text messages. Codes for signing up and resetting a password go out through an
//! [`SmsSender`], chosen at start (`--sms`):
//!
//! - [`LogSender`] (the default): the message goes to the server's log and is appended to
//!   `sms.log` in the data directory, so a local server can be tried end to end;
//! - [`WebhookSender`]: the message is POSTed as JSON `{"mobile", "text"}` to an SMS gateway's
//!   URL, signed with a shared secret (`X-Citizen-Signature: sha256=<hex HMAC-SHA-256 of the
//!   body>`), for the gateway to check before it sends anything.
//!
//! A sender's errors name what failed (the gateway's status, the file), never the message.

use citizen_core::phone::MobileNumber;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use sha2::Sha256;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;
use thiserror::Error;
use tokio::io::AsyncWriteExt;

/// The header the webhook's signature travels in.
pub const SIGNATURE_HEADER: &str = "x-citizen-signature";
/// How long the gateway has to answer.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// One text message.
pub struct Sms {
    pub mobile: MobileNumber,
    pub text: String,
}

#[derive(Debug, Error)]
pub enum SmsError {
    #[error("cannot append to {path}: {source}")]
    Log {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot reach the SMS gateway at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the SMS gateway at {url} answered {status}")]
    Refused { url: String, status: u16 },
}

pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), SmsError>> + Send + 'a>>;

/// Something that delivers text messages.
pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, sms: &'a Sms) -> Sending<'a>;
}

/// The file [`LogSender`] appends to, in the data directory.
pub const LOG_FILE: &str = "sms.log";

/// Writes each message to the log and to `sms.log` (one line: time, number, text).
pub struct LogSender {
    pub path: PathBuf,
}

impl SmsSender for LogSender {
    fn send<'a>(&'a self, sms: &'a Sms) -> Sending<'a> {
        Box::pin(async move {
            tracing::info!(mobile = %sms.mobile.as_str(), text = %sms.text, "SMS (log sender)");
            let line = format!(
                "{}\t{}\t{}\n",
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                sms.mobile.as_str(),
                sms.text
            );
            let failed = |source| SmsError::Log {
                path: self.path.clone(),
                source,
            };
            let mut file = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .await
                .map_err(failed)?;
            file.write_all(line.as_bytes()).await.map_err(failed)?;
            file.flush().await.map_err(failed)
        })
    }
}

/// A gateway's address: `http://host[:port]/path`. The webhook speaks plain HTTP, to a gateway
/// (or a TLS-terminating relay) on this machine or the private network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    url: String,
    authority: String,
    path: String,
}

impl std::str::FromStr for WebhookUrl {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let rest = raw.strip_prefix("http://").ok_or(
            "the SMS webhook URL is http://host[:port]/path (plain HTTP to a gateway or relay on \
             this machine or the private network)",
        )?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let plain = |c: char| c.is_ascii_alphanumeric() || "-._~:[]".contains(c);
        if authority.is_empty() || !authority.chars().all(plain) || path.contains(' ') {
            return Err("the SMS webhook URL is http://host[:port]/path".into());
        }
        let authority = if authority.contains(':') && !authority.ends_with(']') {
            authority.to_owned()
        } else {
            format!("{authority}:80")
        };
        Ok(WebhookUrl {
            url: raw.to_owned(),
            authority,
            path: path.to_owned(),
        })
    }
}

impl WebhookUrl {
    pub fn as_str(&self) -> &str {
        &self.url
    }
}

/// The signature of `body` under `secret`: `sha256=` and the HMAC-SHA-256 in lowercase hex.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// POSTs each message to an SMS gateway, signed with the shared secret.
pub struct WebhookSender {
    pub url: WebhookUrl,
    pub secret: String,
}

impl WebhookSender {
    async fn post(&self, body: Vec<u8>) -> Result<u16, String> {
        let stream = tokio::net::TcpStream::connect(&self.url.authority)
            .await
            .map_err(|e| e.to_string())?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        let request = hyper::Request::post(&self.url.path)
            .header(hyper::header::HOST, &self.url.authority)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature(self.secret.as_bytes(), &body))
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        Ok(response.status().as_u16())
    }
}

impl SmsSender for WebhookSender {
    fn send<'a>(&'a self, sms: &'a Sms) -> Sending<'a> {
        Box::pin(async move {
            let body = serde_json::to_vec(&serde_json::json!({
                "mobile": sms.mobile.as_str(),
                "text": sms.text,
            }))
            .map_err(|e| SmsError::Unreachable {
                url: self.url.url.clone(),
                reason: e.to_string(),
            })?;
            let status = tokio::time::timeout(WEBHOOK_TIMEOUT, self.post(body))
                .await
                .map_err(|_| "no answer in time".to_owned())
                .and_then(|r| r)
                .map_err(|reason| SmsError::Unreachable {
                    url: self.url.url.clone(),
                    reason,
                })?;
            if (200..300).contains(&status) {
                Ok(())
            } else {
                Err(SmsError::Refused {
                    url: self.url.url.clone(),
                    status,
                })
            }
        })
    }
}

/// Which sender the server uses (`--sms`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SmsSettings {
    /// Into the log and `sms.log` in the data directory.
    #[default]
    Log,
    /// To a gateway's URL, signed with a shared secret.
    Webhook { url: WebhookUrl, secret: String },
}

impl SmsSettings {
    /// The sender for these settings; the log sender writes in `data_dir`.
    pub fn sender(&self, data_dir: &std::path::Path) -> Box<dyn SmsSender> {
        match self {
            SmsSettings::Log => Box::new(LogSender {
                path: data_dir.join(LOG_FILE),
            }),
            SmsSettings::Webhook { url, secret } => Box::new(WebhookSender {
                url: url.clone(),
                secret: secret.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_are_plain_http_with_a_port_and_a_path() {
        let url: WebhookUrl = "http://127.0.0.1:9000/sms".parse().unwrap();
        assert_eq!(
            (url.authority.as_str(), url.path.as_str()),
            ("127.0.0.1:9000", "/sms")
        );
        let url: WebhookUrl = "http://gateway.internal".parse().unwrap();
        assert_eq!(
            (url.authority.as_str(), url.path.as_str()),
            ("gateway.internal:80", "/")
        );
        for bad in [
            "https://gw.example/sms",
            "gw.example",
            "http:///sms",
            "http://a b/",
        ] {
            assert!(bad.parse::<WebhookUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_signature_is_the_hmac_of_the_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
