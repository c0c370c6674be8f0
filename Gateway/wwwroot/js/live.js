import { token, claims } from './session.js';
import { t } from './i18n.js';

/**
 * Watches one scope (county:NNNNNN or province:NN0000) on /hubs/live for as long as the page lives.
 * The first message after a subscription is the current snapshot; then every publication follows with a growing
 * seq. A gap in seq, a reconnect or a restarted gateway makes it subscribe again, which brings a fresh snapshot.
 * Messages older than the last one shown are dropped. `onState` hears 'connected', 'reconnecting', 'disconnected' or
 * 'expired': the gateway closes a connection when its token expires, and retrying with that token would only be refused.
 * The gateway names the other gateways of the installation (/live/gateways): when its own is lost for a few
 * retries, the page moves to the next one, and on around the list for as long as it lives.
 * Uses the UMD build of @microsoft/signalr loaded by the page (window.signalR).
 */
export function watch(scope, onSummary, onState = showBanner) {
  let gateways = [location.origin];
  let at = 0;
  let lastSeq = 0;
  let resyncing = false;
  let connection = null;

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

  function connect() {
    const built = new signalR.HubConnectionBuilder()
      .withUrl(`${gateways[at]}/hubs/live`, { accessTokenFactory: () => token(), withCredentials: false })
      // Alone, never give up: a wall screen must come back by itself however long the outage. With other gateways,
      // give up on this one after a few tries and move on (onclose).
      .withAutomaticReconnect({
        nextRetryDelayInMilliseconds: ctx => gateways.length > 1 && ctx.previousRetryCount >= 2 ? null
          : Math.min(500 * 2 ** ctx.previousRetryCount, 5000),
      })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    built.on('summary', summary => {
      if (summary.seq <= lastSeq) return;
      const gap = lastSeq !== 0 && summary.seq !== lastSeq + 1;
      lastSeq = summary.seq;
      onSummary(summary);
      if (gap) resync();
    });
    // A connection the gateway closed because its token expired is not worth reconnecting with the same token.
    built.onreconnecting(() => {
      if (claims()) return onState('reconnecting');
      onState('expired');
      built.stop();
    });
    built.onreconnected(() => resync());
    built.onclose(() => {
      if (built !== connection) return;
      if (!claims()) return onState('expired');
      onState('disconnected');
      next();
    });
    connection = built;
  }

  // The next gateway of the list (the same one when it is the only one), after a pause.
  function next() {
    at = (at + 1) % gateways.length;
    setTimeout(start, gateways.length > 1 ? 500 : 2000);
  }

  async function start() {
    if (!claims()) return onState('expired');
    connect();
    try {
      await connection.start();
      await subscribe();
    } catch (e) {
      if (String(e).includes('forbidden')) return onState('forbidden', e);
      onState('disconnected');
      const failed = connection;
      connection = null;
      failed.stop().catch(() => {});
      next();
    }
  }

  // This gateway first, then the others it names; a gateway that cannot say (an older one) is alone.
  fetch('/live/gateways').then(r => r.ok ? r.json() : []).catch(() => []).then(list => {
    const others = (Array.isArray(list) ? list : []).map(g => String(g).replace(/\/$/, '')).filter(g => g && g !== location.origin);
    gateways = [location.origin, ...others];
    start();
  });
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
