// Follows the wake of this page's app over Server-Sent Events and returns the browser to
// the exact URL it asked for (path, query and fragment) once the app is ready.
(function () {
	'use strict';

	var root = document.getElementById('wake');
	if (!root) {
		return;
	}
	var statusText = document.getElementById('status');
	var elapsedText = document.getElementById('elapsed');
	var failureBox = document.getElementById('failure');
	var failureMessage = document.getElementById('failure-message');
	var retryButton = document.getElementById('retry');
	var steps = Array.prototype.slice.call(root.querySelectorAll('[data-step]'));
	var STATE_WORDS = { waiting: 'waiting', running: 'in progress', done: 'done', failed: 'failed' };
	var source = null;
	var startedAt = Date.now();
	var ticker = null;

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

	function describe(data) {
		if (data.available !== null && data.available !== undefined && data.desired) {
			return data.available + ' of ' + data.desired + ' ready';
		}
		return data.message;
	}

	// Events may be replayed after a reconnect: applying one twice leaves the same page.
	function apply(data) {
		var index = stepIndex(data.step);
		if (index < 0) {
			return;
		}
		for (var i = 0; i < index; i++) {
			if (steps[i].getAttribute('data-state') !== 'done') {
				setStep(steps[i], 'done');
			}
		}
		setStep(steps[index], data.state, describe(data));
		statusText.textContent = data.message;
		startedAt = Date.now() - (data.elapsedMillis || 0);
		tick();
	}

	function tick() {
		if (elapsedText) {
			elapsedText.textContent = Math.max(0, Math.round((Date.now() - startedAt) / 1000)) + ' s';
		}
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

	function showFailure(message) {
		close();
		stopTicking();
		failureMessage.textContent = message;
		failureBox.hidden = false;
		statusText.textContent = '';
		retryButton.focus();
	}

	// If the app's address still reaches the unidler right after a wake (routes take a moment
	// to settle), the page comes back and says ready again: back off instead of looping.
	function returnToApp() {
		close();
		stopTicking();
		steps.forEach(function (item) {
			setStep(item, 'done');
		});
		statusText.textContent = 'The app is ready. Taking you there…';
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
		setTimeout(function () {
			location.reload();
		}, delay);
	}

	function connect() {
		failureBox.hidden = true;
		steps.forEach(function (item) {
			if (item.getAttribute('data-state') === 'failed') {
				setStep(item, 'waiting', '');
			}
		});
		statusText.textContent = 'Waking the app…';
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
			showFailure(data.message);
		});
		source.onerror = function () {
			// EventSource reconnects by itself, resuming with Last-Event-ID; only a closed
			// source is final.
			if (source !== null && source.readyState === EventSource.CLOSED) {
				showFailure('The connection to the unidler was lost.');
			} else if (source !== null) {
				statusText.textContent = 'Reconnecting…';
			}
		};
	}

	retryButton.addEventListener('click', function () {
		startedAt = Date.now();
		connect();
	});

	if (root.getAttribute('data-failed') === 'true') {
		return;
	}
	connect();
})();
