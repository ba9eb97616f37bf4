// Follows the wake of this page's app over Server-Sent Events and returns the browser to
// the exact URL it asked for (path, query and fragment) once the app is ready. The page is
// served at that URL, so returning is a reload.
//
// This script arrives inside the page: once the app is awake every request for its host
// reaches the app, not the unidler. So losing the stream (it cannot be opened, ends early,
// or is answered with something other than an event stream) most likely means the app is
// back: the page checks that the address answers, then reloads it, backing off, and only
// after several tries says it cannot reach the app.
(function () {
	'use strict';

	var root = document.getElementById('wake');
	if (!root) {
		return;
	}
	var host = document.getElementById('host').textContent;
	var product = root.getAttribute('data-product') || '';
	var verb = document.getElementById('verb');
	var statusText = document.getElementById('status');
	var elapsedLine = document.getElementById('elapsed-line');
	var elapsedText = document.getElementById('elapsed');
	var replicas = document.getElementById('replicas');
	var replicasBar = document.getElementById('replicas-bar');
	var replicasCount = document.getElementById('replicas-count');
	var failureBox = document.getElementById('failure');
	var failureMessage = document.getElementById('failure-message');
	var failureDetails = document.getElementById('failure-details');
	var failureDetail = document.getElementById('failure-detail');
	var lead = document.getElementById('lead');
	var retryButton = document.getElementById('retry');
	var steps = Array.prototype.slice.call(root.querySelectorAll('[data-step]'));
	var STATE_WORDS = { waiting: 'waiting', running: 'in progress', done: 'done', failed: 'failed' };
	// Reasons whose message is written for the platform team: the page leads with a plain
	// sentence and keeps the message as a detail.
	var PLAIN = {
		'app-cannot-start': 'The app was asked to start, but Kubernetes cannot run it as it is set up, and waiting '
			+ 'will not change that. Share the details below with the platform team, or try again once it is fixed.'
	};
	// Tries before the page says it cannot reach the app: about 15 s in all (0, 0.5, 1, 2, 4, 8 s).
	var LOST_ATTEMPTS = 6;
	// Connection errors in a row, without an event between them, before the stream counts as lost.
	var LOST_ERRORS = 3;
	var source = null;
	var errors = 0;
	var startedAt = Date.now();
	var ticker = null;
	var probeTimer = null;

	function setTitle(text) {
		document.title = product ? text + ' · ' + product : text;
	}

	function stepIndex(name) {
		for (var i = 0; i < steps.length; i++) {
			if (steps[i].getAttribute('data-step') === name) {
				return i;
			}
		}
		return -1;
	}

	function setStep(item, state, detail) {
		item.setAttribute('data-state', state);
		item.querySelector('.state').textContent = STATE_WORDS[state];
		if (detail !== undefined) {
			item.querySelector('.detail').textContent = detail;
		}
		if (state === 'running') {
			item.setAttribute('aria-current', 'step');
		} else {
			item.removeAttribute('aria-current');
		}
	}

	function hasReplicas(data) {
		return typeof data.available === 'number' && typeof data.desired === 'number' && data.desired > 0;
	}

	function showReplicas(data) {
		if (!hasReplicas(data)) {
			return;
		}
		replicasBar.max = data.desired;
		replicasBar.value = Math.min(data.available, data.desired);
		replicasCount.textContent = data.available + ' of ' + data.desired;
		replicas.hidden = false;
	}

	// Events may be replayed after a reconnect: applying one twice leaves the same page.
	function apply(data) {
		var index = stepIndex(data.step);
		if (index < 0) {
			return;
		}
		root.setAttribute('data-wake', data.wake);
		for (var i = 0; i < index; i++) {
			if (steps[i].getAttribute('data-state') !== 'done') {
				setStep(steps[i], 'done');
			}
		}
		// A failure's message is shown in full below the list, not twice.
		setStep(steps[index], data.state, data.state === 'failed' ? '' : data.message);
		showReplicas(data);
		statusText.textContent = data.message;
		startedAt = Date.now() - (data.elapsedMillis || 0);
		tick();
	}

	function formatElapsed(seconds) {
		if (seconds < 60) {
			return seconds + ' s';
		}
		var rest = seconds % 60;
		return Math.floor(seconds / 60) + ' min' + (rest ? ' ' + rest + ' s' : '');
	}

	function tick() {
		elapsedText.textContent = formatElapsed(Math.max(0, Math.round((Date.now() - startedAt) / 1000)));
	}

	function stopTicking() {
		if (ticker !== null) {
			clearInterval(ticker);
			ticker = null;
		}
	}

	function close() {
		if (source !== null) {
			source.close();
			source = null;
		}
		if (probeTimer !== null) {
			clearTimeout(probeTimer);
			probeTimer = null;
		}
	}

	function showFailure(message, reason) {
		close();
		stopTicking();
		steps.forEach(function (item) {
			if (item.getAttribute('data-state') === 'running') {
				setStep(item, 'failed');
			}
		});
		verb.textContent = 'Could not start';
		setTitle(host + ' could not start');
		var plain = reason && PLAIN.hasOwnProperty(reason) ? PLAIN[reason] : null;
		failureMessage.textContent = plain || message;
		failureDetail.textContent = plain ? message : '';
		failureDetails.hidden = !plain;
		lead.hidden = true;
		failureBox.hidden = false;
		statusText.textContent = '';
		retryButton.focus();
	}

	// Attempts at the same URL within a minute, kept across reloads so that a page that keeps
	// coming back here backs off instead of looping.
	function attempts(kind) {
		var previous = null;
		try {
			previous = JSON.parse(sessionStorage.getItem('unidler-' + kind + ':' + location.href) || 'null');
		} catch (ignored) {
			previous = null;
		}
		return (previous && Date.now() - previous.at < 60000) ? previous.attempts : 0;
	}

	function setAttempts(kind, count) {
		try {
			sessionStorage.setItem('unidler-' + kind + ':' + location.href,
				JSON.stringify({ attempts: count, at: Date.now() }));
		} catch (ignored) {
			// Private modes may refuse storage; the backoff then starts from zero.
		}
	}

	function backoff(attempt) {
		return attempt === 0 ? 0 : Math.min(500 * Math.pow(2, attempt - 1), 10000);
	}

	function markReady() {
		close();
		stopTicking();
		steps.forEach(function (item) {
			setStep(item, 'done');
		});
		verb.textContent = 'Ready';
		lead.hidden = true;
		failureBox.hidden = true;
		setTitle(host + ' is ready');
	}

	// If the app's address still reaches the unidler right after a wake (routes take a
	// moment to settle), the page comes back and says ready again: the first return is
	// immediate, later ones back off instead of looping.
	function returnToApp() {
		markReady();
		var attempt = attempts('return');
		setAttempts('return', attempt + 1);
		var delay = backoff(attempt);
		root.setAttribute('data-return-attempt', String(attempt + 1));
		statusText.textContent = attempt === 0 ? 'The app is ready. Taking you there…'
			: 'The app is ready, but its address still leads here. Trying again in ' + Math.ceil(delay / 1000)
				+ ' s…';
		setTimeout(function () {
			location.reload();
		}, delay);
	}

	// The stream is gone. Most likely the app is awake and its address now reaches it: look
	// first (a reload onto an error page would leave this script behind), then reload.
	function lost() {
		close();
		var attempt = attempts('lost');
		if (attempt >= LOST_ATTEMPTS) {
			unreachable();
			return;
		}
		setAttempts('lost', attempt + 1);
		root.setAttribute('data-lost-attempt', String(attempt + 1));
		statusText.textContent = 'Checking whether the app is back…';
		probeTimer = setTimeout(function () {
			probeTimer = null;
			fetch(location.href, { cache: 'no-store', credentials: 'same-origin', redirect: 'manual',
				headers: { 'Accept': 'text/html' } })
				.then(function (response) {
					// An answer the app gave, a redirect (to its sign-in, say) or this page again.
					if (response.type === 'opaqueredirect' || response.status < 500) {
						location.reload();
					} else {
						lost();
					}
				}, lost);
		}, backoff(attempt));
	}

	function unreachable() {
		close();
		stopTicking();
		setAttempts('lost', 0);
		steps.forEach(function (item) {
			if (item.getAttribute('data-state') === 'running') {
				setStep(item, 'waiting');
			}
		});
		verb.textContent = 'Cannot reach';
		setTitle('Cannot reach ' + host);
		failureMessage.textContent = 'Neither the app nor the service that wakes it answers. Check your network '
			+ 'connection, then try again.';
		failureDetail.textContent = '';
		failureDetails.hidden = true;
		lead.hidden = true;
		elapsedLine.hidden = true;
		failureBox.hidden = false;
		root.setAttribute('data-unreachable', 'true');
		statusText.textContent = '';
		retryButton.focus();
	}

	function connect() {
		close();
		// A new subscription replays the wake from its first event (or starts a new wake):
		// the list starts over with it.
		steps.forEach(function (item) {
			setStep(item, 'waiting', '');
		});
		replicas.hidden = true;
		failureBox.hidden = true;
		root.removeAttribute('data-unreachable');
		lead.hidden = false;
		elapsedLine.hidden = false;
		verb.textContent = 'Starting';
		setTitle('Starting ' + host);
		statusText.textContent = 'Waking the app…';
		startedAt = Date.now();
		tick();
		if (ticker === null) {
			ticker = setInterval(tick, 1000);
		}
		errors = 0;
		source = new EventSource(root.getAttribute('data-events'));
		// Every event proves the unidler is there: the count of lost attempts starts over.
		function received(event) {
			errors = 0;
			setAttempts('lost', 0);
			return JSON.parse(event.data);
		}
		source.addEventListener('progress', function (event) {
			apply(received(event));
		});
		source.addEventListener('ready', function (event) {
			apply(received(event));
			returnToApp();
		});
		source.addEventListener('failure', function (event) {
			var data = received(event);
			apply(data);
			showFailure(data.message, data.reason);
		});
		source.onerror = function () {
			if (source === null) {
				return;
			}
			// A closed source was answered with something other than an event stream (the
			// app itself, most likely); an open one reconnects by itself, resuming with
			// Last-Event-ID, unless that keeps failing.
			errors++;
			if (source.readyState === EventSource.CLOSED || errors >= LOST_ERRORS) {
				lost();
			} else {
				statusText.textContent = 'Connection interrupted. Reconnecting…';
			}
		};
	}

	retryButton.addEventListener('click', function () {
		setAttempts('lost', 0);
		connect();
	});

	// The page was rendered with what the wake knew by then, and acts on an outcome at once.
	var state = root.getAttribute('data-state');
	if (state === 'ready') {
		returnToApp();
	} else if (state === 'failed') {
		showFailure(failureMessage.textContent, root.getAttribute('data-reason'));
	} else {
		connect();
	}
})();
