package dev.unidler.web;

import dev.unidler.UnidlerProperties;
import dev.unidler.app.AppKeys;
import dev.unidler.wake.Wakes;
import dev.unidler.wake.WakesForTests;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;
import org.thymeleaf.spring6.SpringWebFluxTemplateEngine;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The web package wired the way Spring wires it, around given wakes, for tests without a
 * context.
 */
final class WebWiring {

	private WebWiring() {
	}

	static AppRequests appRequests(UnidlerProperties properties) {
		return new AppRequests(new AppKeys(properties), new WakePolicy(properties), new BadHosts());
	}

	static RouterFunction<ServerResponse> routes(UnidlerProperties properties, Wakes wakes, Draining draining) {
		AppRequests requests = appRequests(properties);
		WakeEventsHandler events = new WakeEventsHandler(requests, wakes,
				new EventStreams(properties, wakes, JsonMapper.shared()), new WaitingClients());
		PageAssets assets = new PageAssets();
		WaitingPageHandler page = new WaitingPageHandler(requests, wakes, WakesForTests.steps(properties), assets,
				new WaitingPages(templates(), assets, properties));
		return new WebRoutes().unidlerRoutes(events, page, draining);
	}

	/** Thymeleaf as Spring Boot sets it up: templates/*.html from the class path. */
	static ISpringWebFluxTemplateEngine templates() {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix("templates/");
		resolver.setSuffix(".html");
		resolver.setCharacterEncoding("UTF-8");
		SpringWebFluxTemplateEngine engine = new SpringWebFluxTemplateEngine();
		engine.setTemplateResolver(resolver);
		return engine;
	}

}
