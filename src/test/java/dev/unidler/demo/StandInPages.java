package dev.unidler.demo;

/**
 * The pages the stand-in answers with itself: the woken app, and no app at all. Every
 * value from the request is escaped.
 */
final class StandInPages {

	private StandInPages() {
	}

	/**
	 * What an app looks like once it is awake: it says which host, path and query it was
	 * asked for, so a test (or a person at a demo) can see the browser came back to the
	 * exact URL.
	 */
	static String app(String host, String path, String query) {
		return page(host + " is awake", """
				<h1 id="app">This is <span id="host">%s</span>, awake again</h1>
				<dl>
				<dt>Path</dt><dd><code id="path">%s</code></dd>
				<dt>Query</dt><dd><code id="query">%s</code></dd>
				</dl>
				<p>The fragment (after <code>#</code>) never leaves the browser; it is still in the address bar.</p>
				""".formatted(Html.escape(host), Html.escape(path), Html.escape(query)));
	}

	static String noApp(String host) {
		return page("No app at " + host, """
				<h1 id="no-app">No app answers for <span id="host">%s</span></h1>
				<p>No Service in the cluster carries this host's lookup label.</p>
				""".formatted(Html.escape(host)));
	}

	static String badGateway(String what) {
		return page("Bad gateway", """
				<h1 id="bad-gateway">Bad gateway</h1>
				<p>%s</p>
				""".formatted(Html.escape(what)));
	}

	private static String page(String title, String body) {
		return """
				<!DOCTYPE html>
				<html lang="en">
				<head>
				<meta charset="utf-8">
				<meta name="viewport" content="width=device-width, initial-scale=1">
				<title>%s</title>
				<style>body { font: 1rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }</style>
				</head>
				<body>
				<main>
				%s</main>
				<footer><small>Ingress stand-in (demo and tests only)</small></footer>
				</body>
				</html>
				"""
			.formatted(Html.escape(title), body);
	}

}
