-- Targets and benchmarks a workspace sets per metric (and optionally per
-- survey; '' means all surveys), shown beside the figure with the gap.
CREATE TABLE metric_targets (
	workspace_id     BIGINT  NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
	metric           TEXT    NOT NULL,
	survey           TEXT    NOT NULL DEFAULT '',
	target           DOUBLE PRECISION,
	benchmark        DOUBLE PRECISION,
	benchmark_source TEXT    NOT NULL DEFAULT '',
	updated_at       BIGINT  NOT NULL,
	PRIMARY KEY (workspace_id, metric, survey)
);
