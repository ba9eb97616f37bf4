(function () {
	"use strict";

	var root = document.getElementById("console");
	if (!root) {
		return;
	}
	var csrf = root.getAttribute("data-csrf");
	var body = document.getElementById("apps");
	var summary = document.getElementById("summary");
	var announce = document.getElementById("announce");
	var search = document.getElementById("search");
	var stateFilter = document.getElementById("state-filter");
	var namespaceFilter = document.getElementById("namespace-filter");
	var dialog = document.getElementById("dialog");

	var LABELS = {wake: "Wake", idle: "Idle", restart: "Restart", repair: "Repair"};
	var STATES = {
		awake: "Awake", idled: "Idled", waking: "Waking", idling: "Idling", restarting: "Restarting",
		failed: "Failed", drifted: "Drifted", stopped: "Stopped"
	};
	var CONFIRM = {
		wake: "Wake {app}? Its replicas come back and its Service points at its pods again.",
		idle: "Idle {app}? It is scaled to zero and its Service points at the unidler until someone opens it.",
		restart: "Restart {app}? Every pod is replaced, as kubectl rollout restart does.",
		repair: "Repair {app}? A wake finishes what was left half done: replicas, marks and Service."
	};

	var apps = new Map();
	var rows = new Map();
	var activities = new Map();
	var connected = false;
	var current = null;

	function text(tag, className, content) {
		var element = document.createElement(tag);
		if (className) {
			element.className = className;
		}
		if (content !== undefined && content !== null) {
			element.textContent = content;
		}
		return element;
	}

	function when(iso) {
		if (!iso) {
			return null;
		}
		var date = new Date(iso);
		var time = text("time", null, date.toLocaleString());
		time.setAttribute("datetime", iso);
		return time;
	}

	function duration(millis) {
		return millis < 1000 ? millis + " ms" : (millis / 1000).toFixed(1) + " s";
	}

	function label(app) {
		return app.namespace + "/" + app.name;
	}

	function renderRow(app) {
		var row = document.createElement("tr");
		row.id = "app-" + app.id;
		row.setAttribute("data-state", app.state);
		row.setAttribute("data-namespace", app.namespace);

		var name = document.createElement("th");
		name.scope = "row";
		name.appendChild(text("span", "host", app.host || app.name));
		name.appendChild(text("span", "ref", label(app) + " · " + app.kind));
		row.appendChild(name);

		var state = document.createElement("td");
		state.appendChild(text("span", "state state-" + app.state, STATES[app.state] || app.state));
		if (app.drift && app.drift.length) {
			var list = text("ul", "drift");
			app.drift.forEach(function (line) {
				list.appendChild(text("li", null, line));
			});
			state.appendChild(list);
		}
		if (app.state === "failed" && app.lastOutcome && !activities.has(app.id)) {
			state.appendChild(text("p", "detail", "Last " + app.lastOutcome.operation + ": " + app.lastOutcome.message));
		}
		var activity = text("p", "activity");
		activity.hidden = true;
		var shown = activities.get(app.id);
		if (shown) {
			activity.textContent = shown.text;
			activity.setAttribute("data-outcome", shown.outcome);
			activity.hidden = false;
		}
		state.appendChild(activity);
		row.appendChild(state);

		var replicas = text("td", "num", app.available + " / " + app.desired);
		replicas.setAttribute("aria-label", app.available + " of " + app.desired + " available");
		row.appendChild(replicas);

		var idled = text("td", "optional");
		var since = when(app.idledSince);
		if (since) {
			idled.appendChild(since);
		}
		row.appendChild(idled);

		var wake = text("td", "optional");
		if (app.lastWakeAt) {
			wake.appendChild(when(app.lastWakeAt));
			wake.appendChild(text("span", "detail", " in " + duration(app.lastWakeMillis)));
		}
		row.appendChild(wake);

		var schedule = text("td", "optional", app.idleSchedule
			? app.idleSchedule + (app.idleTimeZone ? " (" + app.idleTimeZone + ")" : "") : "");
		row.appendChild(schedule);

		var actions = document.createElement("td");
		var open = text("button", "act", "Actions…");
		open.type = "button";
		open.setAttribute("aria-label", "Actions for " + label(app));
		open.setAttribute("data-app", app.id);
		actions.appendChild(open);
		row.appendChild(actions);
		return row;
	}

	function matches(app) {
		var wanted = search.value.trim().toLowerCase();
		if (stateFilter.value && app.state !== stateFilter.value) {
			return false;
		}
		if (namespaceFilter.value && app.namespace !== namespaceFilter.value) {
			return false;
		}
		if (!wanted) {
			return true;
		}
		return ((app.host || "") + " " + label(app) + " " + app.kind).toLowerCase().indexOf(wanted) >= 0;
	}

	function filter() {
		var visible = 0;
		apps.forEach(function (app, id) {
			var show = matches(app);
			rows.get(id).hidden = !show;
			if (show) {
				visible++;
			}
		});
		summarise(visible);
	}

	function summarise(visible) {
		var counts = {};
		apps.forEach(function (app) {
			counts[app.state] = (counts[app.state] || 0) + 1;
		});
		var parts = Object.keys(STATES).filter(function (state) {
			return counts[state];
		}).map(function (state) {
			return counts[state] + " " + STATES[state].toLowerCase();
		});
		summary.textContent = (visible === apps.size ? apps.size + " apps" : visible + " of " + apps.size + " apps shown")
			+ (parts.length ? ": " + parts.join(", ") : "") + (connected ? "" : " (reconnecting…)");
	}

	function namespaces() {
		var names = new Set();
		apps.forEach(function (app) {
			names.add(app.namespace);
		});
		var chosen = namespaceFilter.value;
		var sorted = Array.from(names).sort();
		var existing = Array.from(namespaceFilter.options).slice(1).map(function (option) {
			return option.value;
		});
		if (existing.join("\n") === sorted.join("\n")) {
			return;
		}
		while (namespaceFilter.options.length > 1) {
			namespaceFilter.remove(1);
		}
		sorted.forEach(function (name) {
			namespaceFilter.add(new Option(name, name));
		});
		namespaceFilter.value = names.has(chosen) ? chosen : "";
	}

	function order(a, b) {
		return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1
			: a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
	}

	function snapshot(data) {
		apps.clear();
		rows.clear();
		var fragment = document.createDocumentFragment();
		data.apps.forEach(function (app) {
			apps.set(app.id, app);
			var row = renderRow(app);
			row.hidden = !matches(app);
			rows.set(app.id, row);
			fragment.appendChild(row);
		});
		body.replaceChildren(fragment);
		namespaces();
		filter();
		document.documentElement.setAttribute("data-loaded", String(Date.now()));
	}

	function update(app) {
		var known = apps.get(app.id);
		apps.set(app.id, app);
		var row = renderRow(app);
		row.hidden = !matches(app);
		var old = rows.get(app.id);
		rows.set(app.id, row);
		if (old) {
			old.replaceWith(row);
		}
		else {
			var next = null;
			apps.forEach(function (other, id) {
				if (id !== app.id && order(app, other) < 0 && (!next || order(other, apps.get(next)) < 0)) {
					next = id;
				}
			});
			body.insertBefore(row, next ? rows.get(next) : null);
		}
		if (!known || known.namespace !== app.namespace) {
			namespaces();
		}
		filter();
		if (current && current.id === app.id) {
			current = app;
		}
	}

	function gone(id) {
		var row = rows.get(id);
		if (row) {
			row.remove();
		}
		rows.delete(id);
		apps.delete(id);
		namespaces();
		filter();
	}

	function connect() {
		var source = new EventSource(root.getAttribute("data-events"));
		source.addEventListener("open", function () {
			connected = true;
		});
		source.addEventListener("snapshot", function (event) {
			connected = true;
			snapshot(JSON.parse(event.data));
		});
		source.addEventListener("app", function (event) {
			update(JSON.parse(event.data));
		});
		source.addEventListener("gone", function (event) {
			gone(JSON.parse(event.data).id);
		});
		source.addEventListener("error", function () {
			connected = false;
			summarise(Array.from(rows.values()).filter(function (row) {
				return !row.hidden;
			}).length);
			if (source.readyState === EventSource.CLOSED) {
				// Signed out, or the session ended: the page says so.
				window.setTimeout(function () {
					window.location.reload();
				}, 2000);
			}
		});
	}

	function setActivity(id, line, outcome) {
		activities.set(id, {text: line, outcome: outcome});
		var row = rows.get(id);
		if (row) {
			var activity = row.querySelector(".activity");
			activity.textContent = line;
			activity.setAttribute("data-outcome", outcome);
			activity.hidden = false;
		}
	}

	function say(line) {
		announce.textContent = line;
	}

	function run(app, action, reason) {
		var name = LABELS[action];
		var target = app.actions[action].path;
		setActivity(app.id, name + ": asked…", "running");
		var headers = {"Accept": "text/event-stream", "X-CSRF-Token": csrf};
		var options = {method: "POST", headers: headers, credentials: "same-origin"};
		if (action === "restart") {
			headers["Content-Type"] = "application/json";
			options.body = JSON.stringify(reason ? {reason: reason} : {});
		}
		fetch(target, options).then(function (response) {
			var type = response.headers.get("Content-Type") || "";
			if (!response.ok || type.indexOf("text/event-stream") !== 0) {
				return response.json().catch(function () {
					return {};
				}).then(function (answer) {
					var why = answer.error || answer.message || ("HTTP " + response.status);
					setActivity(app.id, name + " refused: " + why, "refused");
					say(name + " of " + label(app) + " refused: " + why);
				});
			}
			return follow(app, name, response.body.getReader());
		}).catch(function () {
			setActivity(app.id, name + ": the console lost the connection; the operation goes on.", "failed");
		});
	}

	function follow(app, name, reader) {
		var decoder = new TextDecoder();
		var buffer = "";
		function handle(block) {
			var event = "message";
			var data = "";
			block.split("\n").forEach(function (line) {
				if (line.indexOf("event:") === 0) {
					event = line.slice(6).trim();
				}
				else if (line.indexOf("data:") === 0) {
					data += line.slice(5).replace(/^ /, "");
				}
			});
			if (!data) {
				return;
			}
			var payload = JSON.parse(data);
			var counts = payload.desired ? " (" + payload.available + " of " + payload.desired + ")" : "";
			if (event === "ready") {
				setActivity(app.id, name + " done: " + payload.message, "done");
				say(name + " of " + label(app) + " done");
			}
			else if (event === "failure") {
				setActivity(app.id, name + " failed: " + payload.message, "failed");
				say(name + " of " + label(app) + " failed: " + payload.message);
			}
			else {
				setActivity(app.id, name + ": " + payload.message + counts, "running");
			}
		}
		function pump() {
			return reader.read().then(function (chunk) {
				if (chunk.done) {
					return;
				}
				buffer += decoder.decode(chunk.value, {stream: true}).replace(/\r/g, "");
				var end;
				while ((end = buffer.indexOf("\n\n")) >= 0) {
					handle(buffer.slice(0, end));
					buffer = buffer.slice(end + 2);
				}
				return pump();
			});
		}
		return pump();
	}

	var confirmBox = document.getElementById("dialog-confirm");
	var confirmText = document.getElementById("confirm-text");
	var confirmButton = document.getElementById("confirm");
	var refusal = document.getElementById("dialog-refusal");
	var reasonField = document.getElementById("reason-field");
	var reasonInput = document.getElementById("reason");
	var choices = document.getElementById("dialog-choices");
	var chosen = null;

	function openDialog(app) {
		current = app;
		chosen = null;
		document.getElementById("dialog-title").textContent = app.host || label(app);
		document.getElementById("dialog-state").textContent = label(app) + " · " + app.kind + " · "
			+ (STATES[app.state] || app.state) + " · " + app.available + " of " + app.desired + " replicas available";
		var drift = document.getElementById("dialog-drift");
		drift.replaceChildren();
		(app.drift || []).forEach(function (line) {
			drift.appendChild(text("li", null, line));
		});
		choices.replaceChildren();
		Object.keys(LABELS).forEach(function (action) {
			var button = text("button", null, LABELS[action]);
			button.type = "button";
			button.setAttribute("data-action", action);
			if (app.actions[action].refused) {
				button.setAttribute("aria-disabled", "true");
				button.setAttribute("aria-describedby", "dialog-refusal");
			}
			choices.appendChild(button);
		});
		refusal.hidden = true;
		confirmBox.hidden = true;
		dialog.showModal();
	}

	choices.addEventListener("click", function (event) {
		var button = event.target.closest("button");
		if (!button || !current) {
			return;
		}
		var action = button.getAttribute("data-action");
		var why = current.actions[action].refused;
		if (why) {
			refusal.textContent = LABELS[action] + " is not possible: " + why;
			refusal.hidden = false;
			confirmBox.hidden = true;
			return;
		}
		chosen = action;
		refusal.hidden = true;
		confirmText.textContent = CONFIRM[action].replace("{app}", label(current));
		reasonField.hidden = action !== "restart";
		reasonInput.value = "";
		confirmButton.textContent = LABELS[action] + " " + label(current);
		confirmBox.hidden = false;
		(action === "restart" ? reasonInput : confirmButton).focus();
	});

	confirmButton.addEventListener("click", function () {
		if (!current || !chosen) {
			return;
		}
		var app = current;
		var action = chosen;
		var reason = reasonInput.value.trim();
		dialog.close();
		run(app, action, reason);
	});

	document.getElementById("dialog-close").addEventListener("click", function () {
		dialog.close();
	});

	dialog.addEventListener("close", function () {
		var opener = current && rows.get(current.id);
		current = null;
		if (opener) {
			opener.querySelector(".act").focus();
		}
	});

	body.addEventListener("click", function (event) {
		var button = event.target.closest("button.act");
		if (button) {
			openDialog(apps.get(button.getAttribute("data-app")));
		}
	});

	var pending = 0;
	search.addEventListener("input", function () {
		window.clearTimeout(pending);
		pending = window.setTimeout(filter, 120);
	});
	stateFilter.addEventListener("change", filter);
	namespaceFilter.addEventListener("change", filter);
	document.getElementById("filters").addEventListener("submit", function (event) {
		event.preventDefault();
		filter();
	});

	connect();
}());
