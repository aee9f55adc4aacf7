/**
 * The ClickHouse plugin's query model (`grafana-clickhouse-datasource`, SQL editor), as a
 * typed builder the Grafana foundation SDK accepts as a panel target.
 *
 * Why our own: the SDK ships query types for core datasources only and says to declare a
 * `Dataquery` variant for any other plugin. The fields are the plugin's saved-query fields
 * (src/types/sql.ts): `editorType: "sql"`, `queryType`, `rawSql`, and `format` (0 time
 * series: the backend turns long rows — time, label columns, values — into one series per
 * label; 1 table: rows as they come).
 */
import type { Builder, Dataquery } from "@grafana/grafana-foundation-sdk/cog";
import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";

export const CLICKHOUSE_PLUGIN = "grafana-clickhouse-datasource";
/** The datasource's uid, as provisioning/datasources/clickhouse.yaml declares it. */
export const DATASOURCE: DataSourceRef = { type: CLICKHOUSE_PLUGIN, uid: "perpwatch-clickhouse" };

export type QueryFormat = "time_series" | "table";

export interface ClickHouseQuery extends Dataquery {
  refId: string;
  datasource: DataSourceRef;
  editorType: "sql";
  queryType: "timeseries" | "table";
  /** 0: time series, 1: table. */
  format: 0 | 1;
  rawSql: string;
}

export class ClickHouseQueryBuilder implements Builder<Dataquery> {
  private readonly internal: ClickHouseQuery;

  constructor(rawSql: string, format: QueryFormat, refId = "A") {
    this.internal = {
      refId,
      datasource: DATASOURCE,
      editorType: "sql",
      queryType: format === "time_series" ? "timeseries" : "table",
      format: format === "time_series" ? 0 : 1,
      rawSql,
      _implementsDataqueryVariant() {},
    };
  }

  build(): ClickHouseQuery {
    return this.internal;
  }
}
