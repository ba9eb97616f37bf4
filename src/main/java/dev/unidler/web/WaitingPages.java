package dev.unidler.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.unidler.UnidlerProperties;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import org.springframework.stereotype.Component;

/**
 * The waiting page as bytes, rendered once per app and state. Everyone waiting on one app
 * in one state gets the same page (it names no visitor and carries no per-request token),
 * so a crowd arriving at a sleeping app costs one render per state change, not one per
 * request: Thymeleaf's expressions over an inlined 19 KB page are the dearest thing a
 * request does.
 */
@Component
final class WaitingPages {

	/**
	 * How many rendered pages are kept (a few per app waking now). When full, it starts
	 * over: a miss only costs a render.
	 */
	static final int RENDERED_PAGES = 1024;

	private final ISpringWebFluxTemplateEngine templates;

	private final UnidlerProperties.Page page;

	private final PageAssets assets;

	private final Map<Key, byte[]> rendered = new ConcurrentHashMap<>();

	WaitingPages(ISpringWebFluxTemplateEngine templates, PageAssets assets, UnidlerProperties properties) {
		this.templates = templates;
		this.assets = assets;
		this.page = properties.page();
	}

	/**
	 * The page for an app in a state, UTF-8.
	 * @param host the app's host
	 * @param state where its wake stands
	 * @return the HTML
	 */
	byte[] render(String host, PageState state) {
		Key key = new Key(host, state);
		byte[] html = this.rendered.get(key);
		if (html == null) {
			if (this.rendered.size() >= RENDERED_PAGES) {
				this.rendered.clear();
			}
			html = this.templates.process(WaitingPageHandler.TEMPLATE, new Context(Locale.ROOT, model(host, state)))
				.getBytes(StandardCharsets.UTF_8);
			this.rendered.putIfAbsent(key, html);
		}
		return html;
	}

	/** How many pages are kept now. */
	int size() {
		return this.rendered.size();
	}

	private Map<String, Object> model(String host, PageState state) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("host", host);
		model.put("productName", this.page.productName());
		model.put("logoUrl", this.page.logoUrl());
		model.put("supportUrl", this.page.supportUrl());
		model.put("page", state);
		model.put("style", this.assets.style());
		model.put("script", this.assets.script());
		return model;
	}

	private record Key(String host, PageState state) {

	}

}
