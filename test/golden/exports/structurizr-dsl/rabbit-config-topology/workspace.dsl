workspace "parcel-pipeline" "Order pipeline: an HTTP API publishes domain events to RabbitMQ; workers consume them" {

    // Written once by archdoc export structurizr-dsl, and never again: this file is yours. archdoc rewrites
    // archdoc.generated.dsl and archdoc.generated.views.dsl from the code; put your own elements, views,
    // styles and themes here (the software system is system_parcel_pipeline). The fragments use flat identifiers.
    !identifiers flat

    model {
        !include archdoc.generated.dsl
    }

    views {
        !include archdoc.generated.views.dsl

        styles {
            element "Person" {
                shape person
            }
            element "Database" {
                shape cylinder
            }
            element "Queue" {
                shape pipe
            }
            element "External" {
                background #999999
                color #ffffff
            }
        }
    }
}
