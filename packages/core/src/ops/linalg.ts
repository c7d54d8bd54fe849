/** Linear algebra with derivative rules. @module */
