// Follows the wake of this page's app over Server-Sent Events and returns the browser to
// the exact URL it asked for (path, query and fragment) once the app is ready. The page is
// served at that URL, so returning is a reload.
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
	var source = null;
	var startedAt = Date.now();
	var ticker = null;

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

	// If the app's address still reaches the unidler right after a wake (routes take a
	// moment to settle), the page comes back and says ready again: the first return is
	// immediate, later ones back off instead of looping.
	function returnToApp() {
		close();
		stopTicking();
		steps.forEach(function (item) {
			setStep(item, 'done');
		});
		verb.textContent = 'Ready';
		lead.hidden = true;
		setTitle(host + ' is ready');
		var key = 'unidler-return:' + location.href;
		var previous = null;
		try {
			previous = JSON.parse(sessionStorage.getItem(key) || 'null');
		} catch (ignored) {
			previous = null;
		}
		var attempts = (previous && Date.now() - previous.at < 60000) ? previous.attempts : 0;
		try {
			sessionStorage.setItem(key, JSON.stringify({ attempts: attempts + 1, at: Date.now() }));
		} catch (ignored) {
			// Private modes may refuse storage; the backoff then starts from zero.
		}
		var delay = attempts === 0 ? 0 : Math.min(500 * Math.pow(2, attempts - 1), 10000);
		root.setAttribute('data-return-attempt', String(attempts + 1));
		statusText.textContent = attempts === 0 ? 'The app is ready. Taking you there…'
			: 'The app is ready, but its address still leads here. Trying again in ' + Math.ceil(delay / 1000)
				+ ' s…';
		setTimeout(function () {
			location.reload();
		}, delay);
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
		source = new EventSource(root.getAttribute('data-events'));
		source.addEventListener('progress', function (event) {
			apply(JSON.parse(event.data));
		});
		source.addEventListener('ready', function (event) {
			apply(JSON.parse(event.data));
			returnToApp();
		});
		source.addEventListener('failure', function (event) {
			var data = JSON.parse(event.data);
			apply(data);
			showFailure(data.message, data.reason);
		});
		source.onerror = function () {
			// EventSource reconnects by itself, resuming with Last-Event-ID; only a closed
			// source is final.
			if (source !== null && source.readyState === EventSource.CLOSED) {
				showFailure('The connection to the server was lost. Check your network, then try again.');
			} else if (source !== null) {
				statusText.textContent = 'Connection interrupted. Reconnecting…';
			}
		};
	}

	retryButton.addEventListener('click', connect);

	if (root.getAttribute('data-failed') === 'true') {
		return;
	}
	connect();
})();
