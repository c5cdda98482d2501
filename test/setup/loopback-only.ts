import { guardNetwork } from './guard-network.js'

guardNetwork('loopback')
