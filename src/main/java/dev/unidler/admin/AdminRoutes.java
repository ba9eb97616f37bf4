package dev.unidler.admin;

import dev.unidler.metrics.MetricsHandler;
import dev.unidler.slack.SlackCommands;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The admin API, answered on the admin port only: never through an app's host, whose
 * every path belongs to the app (or its waiting page).
 */
@Configuration(proxyBeanMethods = false)
class AdminRoutes {

	/**
	 * Tried before the public routes, whose catch-all answers every other request; after
	 * the console's.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	RouterFunction<ServerResponse> adminApi(AdminServer admin, RestartHandler restarts, IdleHandler idles,
			AppsHandler apps, WakeHandler wakes, SlackCommands slack, MetricsHandler metrics) {
		return RouterFunctions.route()
			.nest(admin.onAdminPort(),
					(routes) -> routes.POST("/restart", restarts::restartHost)
						.GET("/api/v1/apps", apps::list)
						.POST("/api/v1/namespaces/{namespace}/{kind}/{name}/restart", restarts::restartWorkload)
						.POST("/idle", idles::idleHost)
						.POST("/api/v1/namespaces/{namespace}/{kind}/{name}/idle", idles::idleWorkload)
						.POST("/api/v1/namespaces/{namespace}/{kind}/{name}/wake", wakes::wakeWorkload)
						// Signed by Slack, not by a token: see SlackCommands.
						.POST("/slack/commands", slack::handle)
						// For Prometheus, without a token: see MetricsHandler.
						.GET("/metrics", metrics::scrape)
						// Nothing else answers here: not even the waiting page.
						.route(RequestPredicates.all(),
								(request) -> ServerResponse.status(HttpStatus.NOT_FOUND)
									.contentType(MediaType.APPLICATION_JSON)
									.bodyValue(Answer.error("No such admin endpoint."))))
			.build();
	}

}
