//! The Poller and the Follower against the sandbox in-process, over real HTTP on
//! 127.0.0.1, with real stores.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::sandbox::Sandbox;
use common::{at, submission, TestDb};
use mass_updater_gateway::follow::{Follower, FollowerSettings, Poller};
use mass_updater_gateway::store::Store;
use serde_json::{json, Value};
use tokio::sync::Barrier;

/// Long enough for a loaded machine; the tests end as soon as the condition holds.
const PATIENCE: Duration = Duration::from_secs(60);

async fn submitted(store: &Store, key: &str, bulk_key: &str) {
    store
        .record_submission(&submission(
            key,
            "ann",
            at(1_800_000_000),
            "UpdateAccountingCode",
        ))
        .await
        .expect("record");
    store
        .record_accepted(key, bulk_key)
        .await
        .expect("accepted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_polls_of_one_key_make_one_upstream_request() {
    let sandbox = Sandbox::start(60_000).await;
    let key = sandbox.upload("a.csv").await;
    // Zuora takes its time, so every poll arrives while the first request is out; the
    // store is never fresh enough to answer, so only the shared request can.
    sandbox
        .add_fault(json!({"kind": "delay", "ms": 1500, "method": "GET", "path": "/v1/bulk/"}))
        .await;
    let db = TestDb::sqlite();
    let poller = Poller::with_freshness(db.open().await, sandbox.source("gateway"), Duration::ZERO);
    let barrier = Arc::new(Barrier::new(20));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (poller, barrier, key) = (poller.clone(), barrier.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            poller.poll(&key).await
        }));
    }
    let mut bodies = HashSet::new();
    for task in tasks {
        let reply = task.await.expect("task").expect("a reply");
        assert_eq!(reply.status, 200);
        bodies.insert(reply.body);
    }
    assert_eq!(bodies.len(), 1, "everyone got the same answer");
    assert_eq!(sandbox.status_gets(&key).await.len(), 1, "one upstream GET");
    let stored = poller
        .store()
        .latest_status(&key)
        .await
        .unwrap()
        .expect("recorded");
    assert!(bodies.contains(&stored.body));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_younger_than_a_second_is_served_from_the_store() {
    let sandbox = Sandbox::start(60_000).await;
    let key = sandbox.upload("a.csv").await;
    let db = TestDb::sqlite();
    let store = db.open().await;
    submitted(&store, "k1", &key).await;
    let poller = Poller::new(store.clone(), sandbox.source("gateway"));
    let first = poller.poll(&key).await.expect("first");
    let second = poller.poll(&key).await.expect("second");
    assert_eq!(first, second);
    assert_eq!(
        sandbox.status_gets(&key).await.len(),
        1,
        "the second came from the store"
    );
    let job = store.job("k1").await.unwrap().unwrap();
    assert_eq!(job.status, "Pending");
    assert!(job.last_checked_at.is_some());

    // Without the freshness window every poll asks upstream.
    let eager = Poller::with_freshness(store.clone(), sandbox.source("gateway"), Duration::ZERO);
    eager.poll(&key).await.expect("third");
    assert_eq!(sandbox.status_gets(&key).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_other_than_200_is_passed_back_and_not_recorded() {
    let sandbox = Sandbox::start(60_000).await;
    let db = TestDb::sqlite();
    let poller = Poller::new(db.open().await, sandbox.source("gateway"));
    let missing = "0123456789abcdef0123456789abcdef";
    let reply = poller.poll(missing).await.expect("an answer");
    assert_eq!(reply.status, 404);
    let body: Value = serde_json::from_slice(&reply.body).expect("Zuora's error JSON");
    assert_eq!(body["success"], false);
    assert!(poller
        .store()
        .latest_status(missing)
        .await
        .unwrap()
        .is_none());
}

async fn wait_for_all_completed(
    store: &Store,
    keys: &[String],
) -> Vec<mass_updater_gateway::store::Job> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let mut jobs = Vec::new();
        for key in keys {
            jobs.push(store.job(key).await.expect("job").expect("recorded"));
        }
        if jobs.iter().all(|j| j.status == "Completed") {
            return jobs;
        }
        let states: Vec<_> = jobs.iter().map(|j| j.status.clone()).collect();
        assert!(Instant::now() < deadline, "not all Completed: {states:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_follows_a_mass_action_to_completed() {
    let sandbox = Sandbox::start(100).await;
    let bulk_key = sandbox.upload("a.csv").await;
    let db = TestDb::sqlite();
    let store = db.open().await;
    submitted(&store, "k1", &bulk_key).await;
    let poller = Poller::new(store.clone(), sandbox.source("gateway"));
    let follower = Follower::spawn(poller, "instance-a", Duration::from_millis(150));

    let job = wait_for_all_completed(&store, &["k1".to_owned()])
        .await
        .remove(0);
    follower.abort();
    assert_eq!(
        (
            job.total_count,
            job.processed_count,
            job.success_count,
            job.error_count
        ),
        (Some(7), Some(7), Some(4), Some(3))
    );
    assert!(job.started_on.is_some() && job.ended_on.is_some());
    assert!(job.output_url.is_some());
    let gets = sandbox.status_gets(&bulk_key).await;
    assert!(gets.len() >= 2, "followed through more than one status");
    // Ended: no one claims it any more.
    assert!(store
        .claim_to_follow("instance-b", Duration::from_secs(60), 10)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_rides_out_upstream_failures() {
    let sandbox = Sandbox::start(100).await;
    let bulk_key = sandbox.upload("a.csv").await;
    // Three answers from something in front of Zuora, then a dropped connection.
    sandbox
        .add_fault(json!({"kind": "status", "status": 503, "count": 3, "method": "GET", "path": "/v1/bulk/"}))
        .await;
    sandbox
        .add_fault(json!({"kind": "drop", "count": 1, "method": "GET", "path": "/v1/bulk/"}))
        .await;
    let db = TestDb::sqlite();
    let store = db.open().await;
    submitted(&store, "k1", &bulk_key).await;
    let poller = Poller::new(store.clone(), sandbox.source("gateway"));
    let follower = Follower::spawn(poller, "instance-a", Duration::from_millis(100));

    let job = wait_for_all_completed(&store, &["k1".to_owned()])
        .await
        .remove(0);
    assert!(
        !follower.is_finished(),
        "still following after the failures"
    );
    follower.abort();
    assert_eq!(job.processed_count, Some(7));
    let faults: Vec<Value> = sandbox
        .status_gets(&bulk_key)
        .await
        .into_iter()
        .filter(|r| !r["fault"].is_null())
        .collect();
    assert_eq!(faults.len(), 4, "every failure was met and passed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_followers_on_one_postgres_database_share_the_mass_actions() {
    let sandbox = Sandbox::start(100).await;
    let db = TestDb::postgres().await;
    let (store_a, store_b) = (db.open().await, db.open().await);
    let mut keys = Vec::new();
    for i in 0..6 {
        let bulk_key = sandbox.upload(&format!("f{i}.csv")).await;
        let key = format!("k{i}");
        submitted(&store_a, &key, &bulk_key).await;
        keys.push(key);
    }
    let interval = Duration::from_millis(150);
    let settings = |name: &str| FollowerSettings {
        batch: 3,
        ..FollowerSettings::new(name, interval)
    };
    // Each instance asks with its own user agent, so the sandbox's log tells who asked.
    let a = Follower::spawn_with(
        Poller::new(store_a.clone(), sandbox.source("instance-a")),
        settings("instance-a"),
    );
    let b = Follower::spawn_with(
        Poller::new(store_b, sandbox.source("instance-b")),
        settings("instance-b"),
    );

    let jobs = wait_for_all_completed(&store_a, &keys).await;
    a.abort();
    b.abort();
    let mut per_instance: HashMap<String, usize> = HashMap::new();
    for job in &jobs {
        let bulk_key = job.bulk_key.as_deref().expect("bulk key");
        let askers: HashSet<String> = sandbox
            .status_gets(bulk_key)
            .await
            .iter()
            .filter_map(|r| r["headers"]["user-agent"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(askers.len(), 1, "{bulk_key} was fetched by {askers:?}");
        for asker in askers {
            *per_instance.entry(asker).or_default() += 1;
        }
    }
    eprintln!("mass actions followed per instance: {per_instance:?}");
}
