package dev.unidler.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Parses the waiting page once at start-up, so the template cache holds it before the
 * first request: reading the template is file I/O, which must not happen on an event
 * loop.
 */
@Component
final class TemplateWarmUp implements ApplicationListener<ApplicationStartedEvent> {

	private final ISpringWebFluxTemplateEngine templates;

	TemplateWarmUp(ISpringWebFluxTemplateEngine templates) {
		this.templates = templates;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		this.templates.process(WaitingPageHandler.TEMPLATE, new Context(Locale.ROOT, Map.of("host", "warm-up.invalid",
				"productName", "", "page", PageState.of(List.of(), null), "style", "", "script", "")));
	}

}
