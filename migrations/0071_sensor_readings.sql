-- Sensor readings (物联感知): devices are the registry's things (kind sensor); readings arrive over MQTT
-- and HTTP in batches and are kept here, partitioned by time.
--
-- On a PostgreSQL server the risk module creates one partition per day ahead of time and drops whole
-- days past the retention (GONGZHI_SENSOR_RETENTION_DAYS): dropping a partition costs nothing, where
-- deleting millions of rows would bloat the table and its index. Rows that arrive for a day without a
-- partition (a clock far off) land in the default partition and are deleted by age. The embedded
-- database keeps everything in the default partition, one table, expired by age.
-- A row is narrow on purpose (≈ 60 bytes): at 30,000 readings a second every byte is a day's gigabyte.
CREATE TABLE sensor_reading (
  at            timestamptz NOT NULL,
  district_code text NOT NULL,
  device_id     bigint NOT NULL,
  metric        text NOT NULL,
  value         double precision NOT NULL
) PARTITION BY RANGE (at);
CREATE TABLE sensor_reading_default PARTITION OF sensor_reading DEFAULT;
-- one index: the latest readings of a device, and a device's history for charts and back-tests
CREATE INDEX sensor_reading_device_idx ON sensor_reading (device_id, at);

-- The last value of each of a device's metrics and when it last sent anything, kept by the ingestion (one
-- upsert a second for every device heard), and since when it is offline: what the sensor list shows live
-- and what offline detection reads.
CREATE TABLE sensor_state (
  device_id     bigint NOT NULL,
  district_code text NOT NULL,
  region_code   text NOT NULL,
  street_code   text,
  community_code text,
  last_at       timestamptz NOT NULL,
  last_values   jsonb NOT NULL DEFAULT '{}',
  readings      bigint NOT NULL DEFAULT 0,
  offline_since timestamptz,
  PRIMARY KEY (device_id, district_code)
);
CREATE INDEX sensor_state_last_idx ON sensor_state (last_at) WHERE offline_since IS NULL;
CREATE INDEX sensor_state_region_idx ON sensor_state (region_code text_pattern_ops);
