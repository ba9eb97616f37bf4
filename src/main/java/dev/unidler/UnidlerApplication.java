package dev.unidler;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Wakes idled Kubernetes apps: answers for their hosts while they sleep, streams the
 * progress of the wake and sends the browser back once the app serves again.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class UnidlerApplication {

	public static void main(String[] args) {
		SpringApplication.run(UnidlerApplication.class, args);
	}

}
