package dev.unidler.idle;

import dev.unidler.app.AppKey;

/** The app an idle is asked for, as its caller named it. */
public sealed interface IdleTarget {

	/** By the host it serves. */
	record Host(AppKey key) implements IdleTarget {

	}

	/** By its Deployment. */
	record Named(String namespace, String name) implements IdleTarget {

		@Override
		public String toString() {
			return "Deployment/" + this.namespace + "/" + this.name;
		}

	}

}
