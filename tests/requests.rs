//! The in-browser (`local`) requests backend in a real browser applies the core's rules as the
//! server does, naming people by member id: the filer and the demo staff read a request, the
//! other resident finds nothing to read or act on, staff commands are staff's, a retried key files
//! once, and the stored requests name people by number under the v2 key.

use citizen_cloud::backend::DemoPerson;
use citizen_cloud::backend::error::ApiFailure;
use citizen_cloud::backend::requests::{RequestsBackend, RequestsError, Submission};
use citizen_cloud::storage::{self, Key};
use citizen_core::config::AppConfig;
use citizen_core::requests::{CommandBody, CommandKind, RequestState};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{A, B, STAFF, local_storage};

/// The local backend with nothing stored.
fn fresh() -> RequestsBackend {
    storage::remove(Key::LocalRequests);
    let backend = RequestsBackend::from_config(&AppConfig::default(), false);
    assert!(matches!(backend, RequestsBackend::Local(_)));
    backend
}

fn street_light() -> Submission {
    serde_json::from_str(
        r#"{"category": "municipal", "description": "3 栋门口的路灯不亮已经一周了", "address": "玉林北路 3 号"}"#,
    )
    .unwrap()
}

fn body(kind: CommandKind) -> CommandBody {
    CommandBody {
        kind: Some(kind),
        ..CommandBody::default()
    }
}

/// The requests as this browser stores them.
fn stored() -> serde_json::Value {
    let raw = local_storage()
        .get_item(Key::LocalRequests.name())
        .unwrap()
        .expect("the requests are stored");
    serde_json::from_str(&raw).unwrap()
}

#[wasm_bindgen_test]
async fn only_the_filer_and_staff_read_a_request_and_each_gives_only_their_commands() {
    let requests = fresh();
    let receipt = requests.file(A, &street_light(), "key-1").await.unwrap();
    let tracking = receipt.tracking().unwrap().to_owned();
    let filed = requests.one(A, &tracking).await.unwrap();
    assert_eq!(
        filed.allowed,
        [CommandKind::Withdraw, CommandKind::Supplement]
    );
    let again = requests.file(A, &street_light(), "key-1").await.unwrap();
    assert_eq!(
        again.tracking(),
        Some(tracking.as_str()),
        "the same key files once"
    );

    // The other resident: nothing to read, nothing to act on, an empty list.
    assert_eq!(
        requests.one(B, &tracking).await,
        Err(RequestsError::NotFound)
    );
    assert_eq!(
        requests
            .command(B, &tracking, &body(CommandKind::Withdraw))
            .await,
        Err(RequestsError::NotFound)
    );
    assert!(requests.mine(B).await.unwrap().is_empty());
    assert_eq!(
        requests.queue(B, None, None).await.unwrap(),
        [],
        "a resident has no queue"
    );

    // The filer may not give staff's commands, nor staff the filer's.
    assert_eq!(
        requests
            .command(A, &tracking, &body(CommandKind::Accept))
            .await,
        Err(RequestsError::Refused)
    );
    assert_eq!(
        requests
            .command(STAFF, &tracking, &body(CommandKind::Withdraw))
            .await,
        Err(RequestsError::Refused)
    );
    let queue = requests.queue(STAFF, None, None).await.unwrap();
    assert_eq!(queue.len(), 1);
    let accepted = requests
        .command(STAFF, &tracking, &body(CommandKind::Accept))
        .await
        .unwrap();
    assert_eq!(accepted.state, RequestState::Accepted);
    let actors: Vec<_> = accepted.timeline.iter().map(|e| e.actor).collect();
    assert_eq!(
        actors,
        [
            Some(DemoPerson::ResidentA.member()),
            Some(DemoPerson::Staff.member())
        ]
    );
    assert_eq!(
        requests.mine(A).await.unwrap()[0].state,
        RequestState::Accepted
    );

    // Stored under v2, naming people by member id.
    assert_eq!(Key::LocalRequests.name(), "citizen-cloud.local-requests.v2");
    let stored = stored();
    let workflow = &stored["requests"][0]["workflow"];
    assert_eq!(workflow["owner"], DemoPerson::ResidentA.member_id());
    assert_eq!(
        workflow["timeline"][1]["actor"],
        DemoPerson::Staff.member_id()
    );
}

#[wasm_bindgen_test]
async fn an_unknown_identity_reads_as_signed_out() {
    let requests = fresh();
    for token in ["", "demo-someone", "1"] {
        assert_eq!(
            requests.mine(token).await,
            Err(RequestsError::Api(ApiFailure::SignedOut))
        );
        assert_eq!(
            requests.file(token, &street_light(), "key-2").await,
            Err(RequestsError::Api(ApiFailure::SignedOut))
        );
    }
    assert_eq!(
        local_storage().get_item(Key::LocalRequests.name()),
        Ok(None),
        "nothing filed"
    );
}
