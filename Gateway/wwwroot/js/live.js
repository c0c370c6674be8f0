import { token, claims } from './session.js';
import { t } from './i18n.js';

/**
 * Watches one scope (county:NNNNNN or province:NN0000) on /hubs/live for as long as the page lives.
 * The first message after a subscription is the current snapshot; then every publication follows with a growing
 * seq. A gap in seq, a reconnect or a restarted gateway makes it subscribe again, which brings a fresh snapshot.
 * Messages older than the last one shown are dropped. `onState` hears 'connected', 'reconnecting', 'disconnected' or
 * 'expired': the gateway closes a connection when its token expires, and retrying with that token would only be refused.
 * Uses the UMD build of @microsoft/signalr loaded by the page (window.signalR).
 */
export function watch(scope, onSummary, onState = showBanner) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/live', { accessTokenFactory: () => token() })
    // Never give up: a wall screen must come back by itself however long the outage.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(500 * 2 ** ctx.previousRetryCount, 5000) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  let lastSeq = 0;
  let resyncing = false;

  const subscribe = async () => {
    await connection.invoke('Subscribe', scope);
    onState('connected');
  };

  // After a reconnect the gateway may be up before it reaches the cluster: keep asking until the snapshot comes.
  const resync = async () => {
    if (resyncing) return;
    resyncing = true;
    try {
      await subscribe();
    } catch (e) {
      if (String(e).includes('forbidden')) onState('forbidden');
      else if (connection.state === signalR.HubConnectionState.Connected) setTimeout(resync, 2000);
    } finally {
      resyncing = false;
    }
  };

  connection.on('summary', summary => {
    if (summary.seq <= lastSeq) return;
    const gap = lastSeq !== 0 && summary.seq !== lastSeq + 1;
    lastSeq = summary.seq;
    onSummary(summary);
    if (gap) resync();
  });
  // A connection the gateway closed because its token expired is not worth reconnecting with the same token.
  connection.onreconnecting(() => {
    if (claims()) return onState('reconnecting');
    onState('expired');
    connection.stop();
  });
  connection.onreconnected(() => resync());
  connection.onclose(() => {
    if (!claims()) return onState('expired');
    onState('disconnected');
    setTimeout(start, 2000);
  });

  async function start() {
    if (!claims()) return onState('expired');
    try {
      await connection.start();
      await subscribe();
    } catch (e) {
      if (String(e).includes('forbidden')) return onState('forbidden', e);
      onState('disconnected');
      setTimeout(start, 2000);
    }
  }

  start();
  return connection;
}

/** The banner every live page shows while its connection is down. */
export function showBanner(state) {
  let banner = document.getElementById('live-banner');
  if (!banner) {
    banner = document.createElement('div');
    banner.id = 'live-banner';
    banner.setAttribute('role', 'status');
    document.body.prepend(banner);
  }
  banner.dataset.state = state;
  banner.textContent = state === 'forbidden' ? t('error.forbidden')
    : state === 'expired' ? t('live.expired')
    : state === 'connected' ? t('live.connected')
    : t(`live.${state === 'reconnecting' ? 'reconnecting' : 'disconnected'}`);
  banner.hidden = state === 'connected';
}
