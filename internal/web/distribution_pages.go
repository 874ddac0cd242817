package web

// distributionPageRoutes are the public pages of email distribution:
// unsubscribe.
func (s *Server) distributionPageRoutes() []page {
	return nil
}
