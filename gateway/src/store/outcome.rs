//! Recording a submission before it is forwarded, then Zuora's answer to it.

use mass_updater_domain::Reason;

use super::row::{job_of, JOB_COLUMNS};
use super::{to_micros, Job, NewSubmission, Recorded, Store, StoreError};

impl Store {
    /// Records a submission as `Sending`, once per Idempotency-Key: a second call with
    /// the same key (a retry, or a race of two) returns the first record untouched.
    pub async fn record_submission(&self, s: &NewSubmission) -> Result<Recorded, StoreError> {
        let sql = format!(
            "INSERT INTO submissions (idempotency_key, submitted_by, submitted_at, file_name, \
             file_size, md5, action_type, track_id, status, reasons) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Sending', '[]') \
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING {JOB_COLUMNS}"
        );
        let inserted = sqlx::query(&sql)
            .bind(&s.idempotency_key)
            .bind(&s.submitted_by)
            .bind(to_micros(s.submitted_at))
            .bind(&s.file_name)
            .bind(s.file_size)
            .bind(&s.md5)
            .bind(&s.action_type)
            .bind(&s.track_id)
            .fetch_optional(&self.pool)
            .await?;
        if let Some(row) = inserted {
            return Ok(Recorded::New(job_of(&row)?.0));
        }
        match self.job(&s.idempotency_key).await? {
            Some(job) => Ok(Recorded::Existing(job)),
            None => Err(StoreError::UnknownSubmission {
                idempotency_key: s.idempotency_key.clone(),
            }),
        }
    }

    /// The submission recorded under an Idempotency-Key.
    pub async fn job(&self, idempotency_key: &str) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM submissions WHERE idempotency_key = $1");
        let row = sqlx::query(&sql)
            .bind(idempotency_key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| job_of(&r).map(|(job, _)| job)).transpose()
    }

    /// Zuora accepted the submission: keep its bulk key; the status becomes `Pending`
    /// unless a status of the mass action was recorded already.
    pub async fn record_accepted(
        &self,
        idempotency_key: &str,
        bulk_key: &str,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE submissions SET bulk_key = $2, \
             http_status = CASE WHEN status IN ('Sending', 'Unknown', 'Refused') THEN NULL ELSE http_status END, \
             reasons = CASE WHEN status IN ('Sending', 'Unknown', 'Refused') THEN '[]' ELSE reasons END, \
             status = CASE WHEN status IN ('Sending', 'Unknown', 'Refused') THEN 'Pending' ELSE status END \
             WHERE idempotency_key = $1",
        )
        .bind(idempotency_key)
        .bind(bulk_key)
        .execute(&self.pool)
        .await?;
        self.must_have_matched(idempotency_key, done.rows_affected())
            .await
    }

    /// Zuora answered with an error. Ignored once the submission has a bulk key: an
    /// accepted mass action is never turned back into a refusal by a later retry.
    pub async fn record_refused(
        &self,
        idempotency_key: &str,
        http_status: u16,
        reasons: &[Reason],
    ) -> Result<(), StoreError> {
        let reasons =
            serde_json::to_string(reasons).map_err(|_| StoreError::Corrupt { what: "reasons" })?;
        let done = sqlx::query(
            "UPDATE submissions SET status = 'Refused', http_status = $2, reasons = $3 \
             WHERE idempotency_key = $1 AND bulk_key IS NULL",
        )
        .bind(idempotency_key)
        .bind(i64::from(http_status))
        .bind(reasons)
        .execute(&self.pool)
        .await?;
        self.must_have_matched(idempotency_key, done.rows_affected())
            .await
    }

    /// No answer came: `Unknown`, but only while the submission is still `Sending`.
    pub async fn record_unknown(&self, idempotency_key: &str) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE submissions SET status = 'Unknown' \
             WHERE idempotency_key = $1 AND status = 'Sending'",
        )
        .bind(idempotency_key)
        .execute(&self.pool)
        .await?;
        self.must_have_matched(idempotency_key, done.rows_affected())
            .await
    }

    /// A conditional update that changed nothing is fine when the submission exists.
    async fn must_have_matched(&self, idempotency_key: &str, rows: u64) -> Result<(), StoreError> {
        if rows > 0 || self.job(idempotency_key).await?.is_some() {
            return Ok(());
        }
        Err(StoreError::UnknownSubmission {
            idempotency_key: idempotency_key.to_owned(),
        })
    }
}
