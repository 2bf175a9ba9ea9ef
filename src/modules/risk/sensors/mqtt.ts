// The MQTT side of sensor ingestion (mqtt.js against Mosquitto, EMQX or any MQTT 3.1.1/5 broker). Every
// API process subscribes through one shared subscription ($share/<root>/…), so the broker hands each
// message to one of them: the processes share the load and no reading is stored twice. QoS 0, as
// sensor telemetry usually is: a lost reading is followed by the next.
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { topicFilter, type Ingestor } from './ingest.ts';

export interface MqttIngest { connected(): boolean; stop(): Promise<void> }

export interface MqttOptions {
  shared?: boolean;
  /** The demo's default broker: no broker is a normal state there, so it is said once (info), not warned every minute. */
  quiet?: boolean;
  /** Milliseconds between attempts to reach the broker. */
  retryMs?: number;
}

export async function startMqtt(url: string, root: string, ingest: Pick<Ingestor, 'acceptMessage'>, log: Logger, opts: MqttOptions = {}): Promise<MqttIngest> {
  const filter = (opts.shared ?? true) ? `$share/${root}/${topicFilter(root)}` : topicFilter(root);
  const retryMs = opts.retryMs ?? 5000;
  const client = mqtt.connect(url, {
    clientId: `gongzhi-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    clean: true, reconnectPeriod: retryMs, connectTimeout: 10_000, protocolVersion: 4,
  });
  let warned = 0;
  let said = false;
  client.on('connect', () => {
    client.subscribe(filter, { qos: 0 }, (err) => {
      if (err) log.error({ err }, 'could not subscribe to sensor readings');
      else log.info({ url: url.replace(/\/\/[^@/]*@/, '//***@'), filter }, 'subscribed to sensor readings');
    });
  });
  client.on('message', (topic, payload) => ingest.acceptMessage(topic, payload));
  client.on('error', (err) => {
    if (opts.quiet) {
      if (!said) { said = true; log.info({ url }, `no MQTT broker answers at ${url}; sensor readings over MQTT start when one does (retrying every ${retryMs / 1000} s; GONGZHI_MQTT_URL chooses another, GONGZHI_MQTT_URL= turns it off)`); }
      return;
    }
    if (Date.now() - warned > 60_000) { warned = Date.now(); log.warn({ err: err.message }, `MQTT broker unreachable; retrying every ${retryMs / 1000} s`); }
  });
  return {
    connected: () => client.connected,
    stop: () => new Promise<void>((resolve) => { client.end(true, {}, () => resolve()); }),
  };
}
