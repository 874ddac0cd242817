package web

// appRoutes are the dashboard's pages.
func (s *Server) appRoutes() []page {
	return nil
}
