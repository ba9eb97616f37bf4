package dev.unidler.console;

import dev.unidler.admin.AdminServer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The console, on the admin port only: through an app's host, {@code /console} is the
 * app's own path (or its waiting page). Its actions are the admin API's endpoints.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRoutes {

	/** Before the admin API's routes, whose catch-all answers every other admin path. */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	RouterFunction<ServerResponse> consoleRouter(AdminServer admin, ConsoleHandler console, ConsoleEvents events) {
		return RouterFunctions.route()
			.nest(admin.onAdminPort(),
					(routes) -> routes.GET(ConsoleHandler.PATH, console::page)
						.POST(ConsoleHandler.PATH + "/sign-in", console::signIn)
						.POST(ConsoleHandler.PATH + "/sign-out", console::signOut)
						.GET(ConsoleHandler.PATH + "/events", events::stream))
			.build();
	}

}
