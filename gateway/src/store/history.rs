//! The history: newest first by (submitted_at, id), filtered, a page at a time.

use super::row::{job_of, JOB_COLUMNS};
use super::{HistoryPage, HistoryQuery, Store, StoreError, HISTORY_LIMIT_MAX};

impl Store {
    pub async fn history(&self, q: &HistoryQuery) -> Result<HistoryPage, StoreError> {
        let limit = q.limit.clamp(1, HISTORY_LIMIT_MAX);
        let mut conditions = Vec::new();
        let mut n = 0;
        let mut next_param = || {
            n += 1;
            format!("${n}")
        };
        if q.before.is_some() {
            let (at, id) = (next_param(), next_param());
            conditions.push(format!(
                "(submitted_at < {at} OR (submitted_at = {at} AND id < {id}))"
            ));
        }
        for (value, column) in [
            (&q.user, "submitted_by"),
            (&q.status, "status"),
            (&q.action_type, "action_type"),
        ] {
            if value.is_some() {
                conditions.push(format!("{column} = {}", next_param()));
            }
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM submissions {filter} \
             ORDER BY submitted_at DESC, id DESC LIMIT {}",
            next_param()
        );
        let mut query = sqlx::query(&sql);
        if let Some(c) = q.before {
            query = query.bind(c.submitted_at).bind(c.id);
        }
        for value in [&q.user, &q.status, &q.action_type].into_iter().flatten() {
            query = query.bind(value.as_str());
        }
        // One more than asked: whether it exists says whether there is a next page.
        let rows = query
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await?;
        let mut jobs = Vec::with_capacity(rows.len());
        let mut last = None;
        for row in rows.iter().take(limit as usize) {
            let (job, cursor) = job_of(row)?;
            jobs.push(job);
            last = Some(cursor);
        }
        let next = if rows.len() > limit as usize {
            last
        } else {
            None
        };
        Ok(HistoryPage { jobs, next })
    }
}
