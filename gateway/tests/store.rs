//! The store on a real SQLite file and a real PostgreSQL database: every test runs on
//! both (`name::sqlite`, `name::postgres`). PostgreSQL comes from
//! `scripts/with-postgres.sh`.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{at, submission, TestDb};
use mass_updater_domain::Reason;
use mass_updater_gateway::store::{
    BadCursor, Cursor, HistoryQuery, Job, Recorded, StatusReply, Store, StoreError,
};
use time::OffsetDateTime;

on_both_backends!(
    a_retry_is_the_same_record,
    two_concurrent_inserts_make_one_row,
    accepted_refused_and_unknown,
    outcomes_of_an_unrecorded_key_are_an_error,
    statuses_with_number_and_string_counts,
    history_is_newest_first_and_pages_across_equal_times,
    history_filters_by_user_status_and_action_type,
    claims_of_two_instances_are_disjoint,
    an_expired_lease_hands_the_key_over,
    ended_and_unsent_submissions_are_never_claimed,
    concurrent_claims_never_share_a_key,
    reopening_keeps_the_history,
    a_page_serializes_as_the_shared_history_json,
);

async fn all(store: &Store, q: HistoryQuery) -> Vec<Job> {
    store.history(&q).await.expect("history").jobs
}

fn keys(jobs: &[Job]) -> Vec<&str> {
    jobs.iter().map(|j| j.idempotency_key.as_str()).collect()
}

/// Records a submission and Zuora's acceptance of it under bulk key `bulk-{key}`.
async fn accepted(store: &Store, key: &str) -> String {
    store
        .record_submission(&submission(
            key,
            "ana",
            at(1_800_000_000),
            "UpdateAccountingCode",
        ))
        .await
        .expect("record");
    let bulk_key = format!("bulk-{key}");
    store
        .record_accepted(key, &bulk_key)
        .await
        .expect("accepted");
    bulk_key
}

fn status_body(status: &str, counts: [&str; 4]) -> String {
    let [total, processed, success, error] = counts;
    format!(
        r#"{{"actionType":"UpdateAccountingCode","status":"{status}","success":true,
        "totalCount":{total},"processedCount":{processed},"successCount":{success},
        "errorCount":{error},"startedOn":"2026-12-04 18:30:01","endedOn":null,
        "outputURL":null}}"#
    )
}

fn reply(body: &str) -> StatusReply {
    StatusReply::parse(body.as_bytes(), Some("application/json".into())).expect("a status")
}

async fn a_retry_is_the_same_record(db: TestDb) {
    let store = db.open().await;
    let s = submission("k1", "ana", at(1_800_000_000), "UpdateAccountingCode");
    let first = store.record_submission(&s).await.expect("first");
    let Recorded::New(job) = &first else {
        panic!("the first try is new: {first:?}")
    };
    assert_eq!(job.status, "Sending");
    assert_eq!(job.file_name, "k1.csv");
    assert_eq!(job.track_id.as_deref(), Some("track-k1"));
    // A retry with other details still finds the first record, untouched.
    let mut retry = s.clone();
    retry.file_name = "other.csv".into();
    let second = store.record_submission(&retry).await.expect("second");
    assert_eq!(second, Recorded::Existing(job.clone()));
    assert_eq!(keys(&all(&store, HistoryQuery::default()).await), ["k1"]);
}

async fn two_concurrent_inserts_make_one_row(db: TestDb) {
    // Two handles (two pools) stand for two gateways sharing the database.
    let (a, b) = (db.open().await, db.open().await);
    let s = submission("race", "ana", at(1_800_000_000), "UpdateAccountingCode");
    let tries = (0..8).map(|i| {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        let s = s.clone();
        tokio::spawn(async move { store.record_submission(&s).await })
    });
    let mut new = 0;
    for t in tries.collect::<Vec<_>>() {
        if t.await.expect("task").expect("record").is_new() {
            new += 1;
        }
    }
    assert_eq!(new, 1, "exactly one try creates the record");
    assert_eq!(all(&a, HistoryQuery::default()).await.len(), 1);
}

async fn accepted_refused_and_unknown(db: TestDb) {
    let store = db.open().await;
    let t = at(1_800_000_000);
    for key in ["ok", "no", "lost", "late"] {
        store
            .record_submission(&submission(key, "ana", t, "UpdateAccountingCode"))
            .await
            .expect("record");
    }
    store
        .record_accepted("ok", "bulk-ok")
        .await
        .expect("accepted");
    let reasons = [
        Reason {
            code: "53100320".into(),
            message: "The file is empty.".into(),
        },
        Reason {
            code: "58730020".into(),
            message: "Bad action type.".into(),
        },
    ];
    store
        .record_refused("no", 400, &reasons)
        .await
        .expect("refused");
    store.record_unknown("lost").await.expect("unknown");
    // Unknown only while Sending: an accepted or refused submission keeps its outcome.
    store
        .record_unknown("ok")
        .await
        .expect("unknown after accepted");
    store
        .record_unknown("no")
        .await
        .expect("unknown after refused");
    // A late acceptance of a submission whose answer was lost wins; a refusal of an
    // accepted one does not.
    store.record_unknown("late").await.expect("unknown");
    store
        .record_accepted("late", "bulk-late")
        .await
        .expect("accepted late");
    store
        .record_refused("ok", 429, &[])
        .await
        .expect("refused after accepted");

    let job = |key: &str| {
        let store = store.clone();
        let key = key.to_owned();
        async move { store.job(&key).await.expect("job").expect("recorded") }
    };
    let ok = job("ok").await;
    assert_eq!(
        (ok.status.as_str(), ok.bulk_key.as_deref()),
        ("Pending", Some("bulk-ok"))
    );
    assert_eq!((ok.http_status, ok.reasons.len()), (None, 0));
    let no = job("no").await;
    assert_eq!((no.status.as_str(), no.http_status), ("Refused", Some(400)));
    assert_eq!(no.reasons, reasons);
    assert_eq!(no.bulk_key, None);
    assert_eq!(job("lost").await.status, "Unknown");
    let late = job("late").await;
    assert_eq!(
        (late.status.as_str(), late.bulk_key.as_deref()),
        ("Pending", Some("bulk-late"))
    );

    let json = serde_json::to_value(&no).expect("json");
    assert_eq!(json["reasons"][0]["code"], "53100320");
    assert_eq!(json["reasons"][1]["message"], "Bad action type.");
    assert_eq!(json["httpStatus"], 400);
    assert_eq!(json["status"], "Refused");
}

async fn outcomes_of_an_unrecorded_key_are_an_error(db: TestDb) {
    let store = db.open().await;
    let unknown = |r: Result<(), StoreError>| {
        assert!(
            matches!(&r, Err(StoreError::UnknownSubmission { idempotency_key }) if idempotency_key == "nope"),
            "{r:?}"
        );
    };
    unknown(store.record_accepted("nope", "bulk-1").await);
    unknown(store.record_refused("nope", 400, &[]).await);
    unknown(store.record_unknown("nope").await);
    let e = store.record_unknown("nope").await.expect_err("an error");
    assert_eq!(
        e.to_string(),
        "No submission is recorded under the Idempotency-Key nope."
    );
}

async fn statuses_with_number_and_string_counts(db: TestDb) {
    let store = db.open().await;
    let bulk_key = accepted(&store, "s1").await;
    assert!(store
        .latest_status(&bulk_key)
        .await
        .expect("latest")
        .is_none());

    let before = OffsetDateTime::now_utc();
    let numbers = status_body("Processing", ["7", "3", "2", "1"]);
    store
        .record_status(&bulk_key, &reply(&numbers))
        .await
        .expect("status");
    let stored = store
        .latest_status(&bulk_key)
        .await
        .expect("latest")
        .expect("stored");
    assert_eq!(stored.body, numbers.as_bytes());
    assert_eq!(stored.content_type.as_deref(), Some("application/json"));
    assert!(stored.fetched_at >= before - Duration::from_millis(1));
    let job = store.job("s1").await.expect("job").expect("recorded");
    assert_eq!(job.status, "Processing");
    assert_eq!(
        [
            job.total_count,
            job.processed_count,
            job.success_count,
            job.error_count
        ],
        [Some(7), Some(3), Some(2), Some(1)]
    );
    assert_eq!(job.started_on.as_deref(), Some("2026-12-04 18:30:01"));
    assert!(job.last_checked_at.is_some());

    let strings = status_body("Completed", ["\"7\"", "\"7\"", "\"4\"", "\"3\""])
        .replace(r#""endedOn":null"#, r#""endedOn":"2026-12-04 18:31:00""#)
        .replace(
            r#""outputURL":null"#,
            r#""outputURL":"https://z.invalid/v1/files/f1""#,
        );
    store
        .record_status(&bulk_key, &reply(&strings))
        .await
        .expect("status");
    let stored = store
        .latest_status(&bulk_key)
        .await
        .expect("latest")
        .expect("stored");
    assert_eq!(stored.body, strings.as_bytes());
    let job = store.job("s1").await.expect("job").expect("recorded");
    assert_eq!(job.status, "Completed");
    assert_eq!(
        [
            job.total_count,
            job.processed_count,
            job.success_count,
            job.error_count
        ],
        [Some(7), Some(7), Some(4), Some(3)]
    );
    assert_eq!(job.ended_on.as_deref(), Some("2026-12-04 18:31:00"));

    let json = serde_json::to_value(&job).expect("json");
    assert_eq!(json["outputUrl"], "https://z.invalid/v1/files/f1");
    assert_eq!(json["successCount"], 4);
    assert_eq!(json["submittedAt"], "2027-01-15T08:00:00Z");
    assert_eq!(json["bulkKey"], "bulk-s1");
    assert_eq!(json["idempotencyKey"], "s1");
    assert_eq!(json["fileSize"], 1234);
    let checked = json["lastCheckedAt"].as_str().expect("a time");
    assert!(checked.ends_with('Z') && checked.len() == 20, "{checked}");

    // A key the gateway did not submit is still remembered for serving polls.
    store
        .record_status("foreign", &reply(&numbers))
        .await
        .expect("status");
    assert!(store
        .latest_status("foreign")
        .await
        .expect("latest")
        .is_some());
}

async fn history_is_newest_first_and_pages_across_equal_times(db: TestDb) {
    let store = db.open().await;
    // Equal submission times within each group; ties go to the later record.
    let times = [
        ("a", 100),
        ("b", 200),
        ("c", 200),
        ("d", 200),
        ("e", 300),
        ("f", 200),
        ("g", 50),
    ];
    for (key, t) in times {
        store
            .record_submission(&submission(
                key,
                "ana",
                at(1_800_000_000 + t),
                "UpdateAccountingCode",
            ))
            .await
            .expect("record");
    }
    let expected = ["e", "f", "d", "c", "b", "a", "g"];
    assert_eq!(keys(&all(&store, HistoryQuery::default()).await), expected);

    let mut seen = Vec::new();
    let mut before = None;
    let mut pages = 0;
    loop {
        let q = HistoryQuery {
            limit: 2,
            before,
            ..HistoryQuery::default()
        };
        let page = store.history(&q).await.expect("page");
        seen.extend(page.jobs.iter().map(|j| j.idempotency_key.clone()));
        pages += 1;
        // Through the opaque text, as the browser hands it back.
        match page.next {
            Some(next) => before = Some(next.to_string().parse().expect("a cursor")),
            None => break,
        }
        assert!(pages < 10, "paging ends");
    }
    assert_eq!(seen, expected);
    assert_eq!(pages, 4);

    // An exact last page has no next; the limit is clamped.
    let q = HistoryQuery {
        limit: 7,
        ..HistoryQuery::default()
    };
    assert_eq!(store.history(&q).await.expect("page").next, None);
    let q = HistoryQuery {
        limit: 0,
        ..HistoryQuery::default()
    };
    assert_eq!(store.history(&q).await.expect("page").jobs.len(), 1);
    let q = HistoryQuery {
        limit: 10_000,
        ..HistoryQuery::default()
    };
    assert_eq!(store.history(&q).await.expect("page").jobs.len(), 7);
}

async fn history_filters_by_user_status_and_action_type(db: TestDb) {
    let store = db.open().await;
    let rows = [
        ("1", "ana", "UpdateAccountingCode"),
        ("2", "bo", "UpdateAccountingCode"),
        ("3", "ana", "CreateRevenueSchedule"),
        ("4", "bo", "DeleteRevenueSchedule"),
        ("5", "ana", "UpdateAccountingCode"),
    ];
    for (i, (key, by, action)) in rows.into_iter().enumerate() {
        let t = at(1_800_000_000 + i64::try_from(i).expect("small"));
        store
            .record_submission(&submission(key, by, t, action))
            .await
            .expect("record");
    }
    store
        .record_accepted("1", "bulk-1")
        .await
        .expect("accepted");
    store
        .record_accepted("5", "bulk-5")
        .await
        .expect("accepted");
    store.record_refused("3", 400, &[]).await.expect("refused");

    let by = |user: Option<&str>, status: Option<&str>, action: Option<&str>| HistoryQuery {
        user: user.map(str::to_owned),
        status: status.map(str::to_owned),
        action_type: action.map(str::to_owned),
        ..HistoryQuery::default()
    };
    assert_eq!(
        keys(&all(&store, by(Some("ana"), None, None)).await),
        ["5", "3", "1"]
    );
    assert_eq!(
        keys(&all(&store, by(Some("bo"), None, None)).await),
        ["4", "2"]
    );
    assert_eq!(
        keys(&all(&store, by(Some("cy"), None, None)).await),
        Vec::<&str>::new()
    );
    assert_eq!(
        keys(&all(&store, by(None, Some("Pending"), None)).await),
        ["5", "1"]
    );
    assert_eq!(
        keys(&all(&store, by(None, Some("Sending"), None)).await),
        ["4", "2"]
    );
    assert_eq!(
        keys(&all(&store, by(None, Some("Refused"), None)).await),
        ["3"]
    );
    assert_eq!(
        keys(&all(&store, by(None, None, Some("UpdateAccountingCode"))).await),
        ["5", "2", "1"]
    );
    assert_eq!(
        keys(
            &all(
                &store,
                by(Some("bo"), Some("Sending"), Some("UpdateAccountingCode"))
            )
            .await
        ),
        ["2"]
    );
    // Filters and the cursor together.
    let first = store
        .history(&HistoryQuery {
            limit: 1,
            ..by(Some("ana"), None, None)
        })
        .await
        .expect("page");
    assert_eq!(keys(&first.jobs), ["5"]);
    let rest = HistoryQuery {
        before: first.next,
        ..by(Some("ana"), None, None)
    };
    assert_eq!(keys(&all(&store, rest).await), ["3", "1"]);
}

async fn a_page_serializes_as_the_shared_history_json(db: TestDb) {
    let store = db.open().await;
    accepted(&store, "j1").await;
    store
        .record_submission(&submission("j2", "ana", at(1_800_000_001), "MPU"))
        .await
        .expect("record");
    let page = store
        .history(&HistoryQuery {
            limit: 1,
            ..HistoryQuery::default()
        })
        .await
        .expect("page");
    let value = serde_json::to_value(&page).expect("json");
    assert_eq!(
        value["jobs"],
        serde_json::json!([{
            "submittedBy": "ana", "submittedAt": "2027-01-15T08:00:01Z",
            "fileName": "j2.csv", "fileSize": 1234, "md5": "0123456789abcdef0123456789abcdef",
            "actionType": "MPU", "idempotencyKey": "j2", "trackId": "track-j2",
            "bulkKey": null, "status": "Sending", "totalCount": null, "processedCount": null,
            "successCount": null, "errorCount": null, "startedOn": null, "endedOn": null,
            "reasons": [], "httpStatus": null, "outputUrl": null, "lastCheckedAt": null
        }])
    );
    // The cursor is a string the next request hands back as it came.
    let next = value["next"].as_str().expect("a cursor string").to_owned();
    let q = HistoryQuery {
        before: Some(next.parse().expect("a cursor")),
        ..HistoryQuery::default()
    };
    let rest = serde_json::to_value(store.history(&q).await.expect("page")).expect("json");
    assert_eq!(rest["jobs"][0]["idempotencyKey"], "j1");
    assert_eq!(rest["next"], serde_json::Value::Null);
}

#[test]
fn a_bad_cursor_is_a_typed_error() {
    for bad in ["", "nonsense", "h1.zz.1", "h1.5", "h1.5.6.7", "h1.-5.6"] {
        let e = bad.parse::<Cursor>().expect_err(bad);
        assert_eq!(e, BadCursor);
        assert_eq!(
            e.to_string(),
            "The before value is not a cursor from a previous page's next."
        );
    }
}

const LONG: Duration = Duration::from_secs(600);

async fn claims_of_two_instances_are_disjoint(db: TestDb) {
    let (a, b) = (db.open().await, db.open().await);
    let mut all_keys = HashSet::new();
    for i in 0..6 {
        all_keys.insert(accepted(&a, &format!("c{i}")).await);
    }
    let mine: HashSet<String> = a
        .claim_to_follow("a", LONG, 4)
        .await
        .expect("claim")
        .into_iter()
        .collect();
    let theirs: HashSet<String> = b
        .claim_to_follow("b", LONG, 10)
        .await
        .expect("claim")
        .into_iter()
        .collect();
    assert_eq!((mine.len(), theirs.len()), (4, 2));
    assert!(mine.is_disjoint(&theirs));
    assert_eq!(&mine | &theirs, all_keys);
    // Claiming again extends one's own leases and takes nothing of the other's.
    let again: HashSet<String> = a
        .claim_to_follow("a", LONG, 10)
        .await
        .expect("claim")
        .into_iter()
        .collect();
    assert_eq!(again, mine);
    assert!(b
        .claim_to_follow("c", LONG, 10)
        .await
        .expect("claim")
        .is_empty());
    // A released key is free for another instance; releasing another's key does nothing.
    let released = mine.iter().next().expect("a key").clone();
    b.release(&released, "b").await.expect("release");
    assert!(b
        .claim_to_follow("c", LONG, 10)
        .await
        .expect("claim")
        .is_empty());
    a.release(&released, "a").await.expect("release");
    assert_eq!(
        b.claim_to_follow("c", LONG, 10).await.expect("claim"),
        [released]
    );
}

async fn an_expired_lease_hands_the_key_over(db: TestDb) {
    let (a, b) = (db.open().await, db.open().await);
    let key = accepted(&a, "x").await;
    assert_eq!(
        a.claim_to_follow("a", Duration::from_millis(1), 10)
            .await
            .expect("claim"),
        std::slice::from_ref(&key)
    );
    // Wait until the lease is surely over (leases run on the database's clock).
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        b.claim_to_follow("b", LONG, 10).await.expect("claim"),
        std::slice::from_ref(&key)
    );
    assert!(a
        .claim_to_follow("a", LONG, 10)
        .await
        .expect("claim")
        .is_empty());
}

async fn ended_and_unsent_submissions_are_never_claimed(db: TestDb) {
    let store = db.open().await;
    let t = at(1_800_000_000);
    for key in ["sending", "unknown", "refused"] {
        store
            .record_submission(&submission(key, "ana", t, "UpdateAccountingCode"))
            .await
            .expect("record");
    }
    store.record_unknown("unknown").await.expect("unknown");
    store
        .record_refused("refused", 400, &[])
        .await
        .expect("refused");
    let open = accepted(&store, "open").await;
    let processing = accepted(&store, "processing").await;
    store
        .record_status(
            &processing,
            &reply(&status_body("Processing", ["1", "0", "0", "0"])),
        )
        .await
        .expect("status");
    for ended in ["Completed", "Stopped", "Failed"] {
        let key = accepted(&store, ended).await;
        store
            .record_status(&key, &reply(&status_body(ended, ["1", "1", "1", "0"])))
            .await
            .expect("status");
    }
    let claimed: HashSet<String> = store
        .claim_to_follow("a", LONG, 100)
        .await
        .expect("claim")
        .into_iter()
        .collect();
    assert_eq!(claimed, HashSet::from([open, processing.clone()]));
    // Once its status ends, a claimed key is no longer handed out, even to its holder.
    store
        .record_status(
            &processing,
            &reply(&status_body("Completed", ["1", "1", "1", "0"])),
        )
        .await
        .expect("status");
    let claimed = store.claim_to_follow("a", LONG, 100).await.expect("claim");
    assert_eq!(claimed, ["bulk-open"]);
}

async fn concurrent_claims_never_share_a_key(db: TestDb) {
    let (a, b) = (db.open().await, db.open().await);
    for i in 0..30 {
        accepted(&a, &format!("k{i}")).await;
    }
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (store, instance) = if i % 2 == 0 {
                (a.clone(), "a")
            } else {
                (b.clone(), "b")
            };
            tokio::spawn(async move {
                let keys = store
                    .claim_to_follow(instance, LONG, 3)
                    .await
                    .expect("claim");
                (instance, keys)
            })
        })
        .collect();
    let mut holder = std::collections::HashMap::new();
    for t in tasks {
        let (instance, keys) = t.await.expect("task");
        for key in keys {
            let previous = holder.insert(key.clone(), instance);
            assert!(
                previous.is_none() || previous == Some(instance),
                "{key} was claimed by both instances"
            );
        }
    }
    // Whatever the racing claims left is there for a third instance, and nothing else.
    for key in a.claim_to_follow("c", LONG, 100).await.expect("claim") {
        assert!(
            holder.insert(key.clone(), "c").is_none(),
            "{key} claimed twice"
        );
    }
    assert_eq!(holder.len(), 30, "every key held by exactly one instance");
}

async fn reopening_keeps_the_history(db: TestDb) {
    let store = db.open().await;
    accepted(&store, "kept").await;
    store.close().await;
    let again = db.open().await;
    let job = again.job("kept").await.expect("job").expect("recorded");
    assert_eq!(job.bulk_key.as_deref(), Some("bulk-kept"));
}

#[tokio::test]
async fn a_url_of_another_database_is_refused() {
    let e = Store::open("mysql://localhost/x")
        .await
        .expect_err("refused");
    assert!(matches!(e, StoreError::UnsupportedUrl), "{e:?}");
}

#[tokio::test]
async fn a_sqlite_file_is_created_in_wal_mode() {
    let db = TestDb::sqlite();
    let path = db.url.trim_start_matches("sqlite://").to_owned();
    assert!(!std::path::Path::new(&path).exists());
    let store = db.open().await;
    accepted(&store, "w").await;
    assert!(std::path::Path::new(&path).exists());
    assert!(
        std::path::Path::new(&format!("{path}-wal")).exists(),
        "a WAL file next to it"
    );
}

#[tokio::test]
async fn an_in_memory_store_works() {
    let store = Store::open("sqlite::memory:").await.expect("open");
    accepted(&store, "m").await;
    assert_eq!(all(&store, HistoryQuery::default()).await.len(), 1);
}
