package dev.unidler.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Every route, in the order they are tried. The unidler answers for whole hosts, so
 * anything that is not its own falls through to the waiting page.
 */
@Configuration(proxyBeanMethods = false)
class WebRoutes {

	@Bean
	RouterFunction<ServerResponse> unidlerRoutes(WakeEventsHandler events, WaitingPageHandler page, Draining draining) {
		return RouterFunctions.route()
			.route(RequestPredicates.GET("/healthz").or(RequestPredicates.HEAD("/healthz")), draining::health)
			.GET("/events", Accepts.naming(MediaType.TEXT_EVENT_STREAM), draining.refusingWhileDraining(events::stream))
			.GET("/events/", Accepts.naming(MediaType.TEXT_EVENT_STREAM),
					draining.refusingWhileDraining(events::stream))
			.route(RequestPredicates.all(), page::handle)
			.build();
	}

}
